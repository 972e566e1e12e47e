package org.symphonet.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

class EventHistoryTest {

    @Test
    void keepsOnlyTheNewestAndNumbersThemInOrder() {
        EventHistory h = new EventHistory(3);
        for (int i = 0; i < 10; i++) {
            h.add(i, i % 2 == 0 ? "a" : "b", "link-up", "n" + i, null, null);
        }
        assertEquals(3, h.size());
        assertEquals(10, h.lastSeq());
        List<CollectorEvent> all = h.since(0, null, 100);
        assertEquals(List.of(8L, 9L, 10L), all.stream().map(CollectorEvent::seq).toList());
    }

    @Test
    void filtersByOverlaySequenceAndLimit() {
        EventHistory h = new EventHistory(100);
        for (int i = 0; i < 10; i++) {
            h.add(i, i % 2 == 0 ? "a" : "b", "link-up", "n" + i, null, null);
        }
        assertEquals(List.of(7L, 9L), h.since(6, "a", 100).stream().map(CollectorEvent::seq).toList());
        assertEquals(List.of(9L, 10L), h.since(0, null, 2).stream().map(CollectorEvent::seq).toList(), "the newest when limited");
        assertEquals(List.of(), h.since(10, null, 5));
    }

    @Test
    void aHistoryHoldsSomething() {
        assertThrows(IllegalArgumentException.class, () -> new EventHistory(0));
    }
}
