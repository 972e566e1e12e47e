package org.symphonet.overlay.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class HeapTrimTest {

    private static final long MB = 1 << 20;

    /** A heap whose committed size the test sets; a "full collection" shrinks it to {@code after}. */
    private static final class FakeHeap {
        long committed = 32 * MB;
        long fulls = 1;
        long after = 26 * MB;
        int asked;
        final List<String> flags = new ArrayList<>();

        HeapTrim trim() {
            return new HeapTrim(() -> committed, () -> fulls, () -> {
                asked++;
                fulls++;
                committed = after;
            }, (name, value) -> flags.add(name + "=" + value));
        }
    }

    @Test
    void nothingHappensBeforeStartUpIsOver() {
        FakeHeap heap = new FakeHeap();
        HeapTrim trim = heap.trim();
        heap.committed = 60 * MB;
        assertFalse(trim.check());
        assertEquals(0, heap.asked);
        assertTrue(heap.flags.isEmpty());
    }

    @Test
    void settlingTightensTheRatiosMinFirstThenCollectsOnce() {
        FakeHeap heap = new FakeHeap();
        HeapTrim trim = heap.trim();
        trim.settle();
        trim.settle();
        assertEquals(List.of("MinHeapFreeRatio=" + HeapTrim.MIN_FREE, "MaxHeapFreeRatio=" + HeapTrim.MAX_FREE), heap.flags);
        assertEquals(1, heap.asked);
        assertEquals(26 * MB, heap.committed);
    }

    @Test
    void aJvmThatRefusesTheFlagsIsStillCollected() {
        FakeHeap heap = new FakeHeap();
        HeapTrim trim = new HeapTrim(() -> heap.committed, () -> heap.fulls, () -> heap.asked++, (n, v) -> {
            throw new IllegalArgumentException("not manageable");
        });
        trim.settle();
        assertEquals(1, heap.asked);
    }

    @Test
    void growthBeyondTheSlackSinceTheLastFullCollectionAsksForOne() {
        FakeHeap heap = new FakeHeap();
        HeapTrim trim = heap.trim();
        trim.settle();
        heap.committed = 26 * MB + HeapTrim.SLACK_BYTES;
        assertTrue(trim.check());
        assertEquals(2, heap.asked);
        assertFalse(trim.check(), "the new baseline is what the collection left");
        assertEquals(2, heap.asked);
    }

    @Test
    void growthWithinTheSlackCostsNothing() {
        FakeHeap heap = new FakeHeap();
        HeapTrim trim = heap.trim();
        trim.settle();
        heap.committed += HeapTrim.SLACK_BYTES - 1;
        assertFalse(trim.check());
        assertEquals(1, heap.asked);
    }

    @Test
    void aFullCollectionOfItsOwnResetsTheBaseline() {
        FakeHeap heap = new FakeHeap();
        HeapTrim trim = heap.trim();
        trim.settle();
        heap.committed = 40 * MB;
        heap.fulls++;
        assertFalse(trim.check(), "the collector sized the heap itself just now");
        heap.committed += HeapTrim.SLACK_BYTES - 1;
        assertFalse(trim.check());
        assertEquals(1, heap.asked);
    }

    @Test
    void theCHeapIsTrimmedOnlyOnceSettledThenAtEveryCheck() {
        FakeHeap heap = new FakeHeap();
        int[] trims = {0};
        HeapTrim trim = new HeapTrim(() -> heap.committed, () -> heap.fulls, () -> heap.fulls++, (n, v) -> { },
                () -> trims[0]++);
        trim.check();
        assertEquals(0, trims[0], "start-up mallocs again at once");
        trim.settle();
        assertEquals(1, trims[0]);
        trim.check();
        trim.check();
        assertEquals(3, trims[0]);
    }

    @Test
    void mallocTrimNeverThrows() {
        MallocTrim.trim();
        MallocTrim.trim();
    }

    @Test
    void theWholeHeapCollectorIsFoundInThisJvm() {
        GarbageCollectorMXBean full = HeapTrim.fullCollector(ManagementFactory.getGarbageCollectorMXBeans());
        assertNotNull(full);
        assertTrue(full.getMemoryPoolNames().length >= 2, full.getName());
    }

    @Test
    void theRatiosAreManageableInThisJvm() {
        var bean = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
        String min = bean.getVMOption("MinHeapFreeRatio").getValue();
        String max = bean.getVMOption("MaxHeapFreeRatio").getValue();
        try {
            bean.setVMOption("MinHeapFreeRatio", Integer.toString(HeapTrim.MIN_FREE));
            bean.setVMOption("MaxHeapFreeRatio", Integer.toString(HeapTrim.MAX_FREE));
            assertEquals(Integer.toString(HeapTrim.MAX_FREE), bean.getVMOption("MaxHeapFreeRatio").getValue());
        } finally {
            bean.setVMOption("MaxHeapFreeRatio", max);
            bean.setVMOption("MinHeapFreeRatio", min);
        }
    }
}
