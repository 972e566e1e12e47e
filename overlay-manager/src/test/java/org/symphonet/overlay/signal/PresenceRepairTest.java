package org.symphonet.overlay.signal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Our presence goes ahead of messages to a peer that never answered, at most once per interval. */
class PresenceRepairTest {
    private static final String PEER = "node4@symphonet.test/symphonet";
    private final PresenceRepair repair = new PresenceRepair(5_000);

    @Test
    void aPeerThatNeverAnsweredGetsOurPresenceOncePerInterval() {
        assertTrue(repair.presenceDue(PEER, 1_000));
        assertFalse(repair.presenceDue(PEER, 1_100), "the second message of a burst needs none");
        assertFalse(repair.presenceDue(PEER, 5_999));
        assertTrue(repair.presenceDue(PEER, 6_000), "a retry after the interval repairs again");
        assertTrue(repair.presenceDue("node5@symphonet.test/symphonet", 6_000), "each peer on its own");
    }

    @Test
    void aPeerThatSentUsAMessageHasOurPresence() {
        assertTrue(repair.presenceDue(PEER, 1_000));
        repair.heardFrom(PEER);
        assertFalse(repair.presenceDue(PEER, 60_000));
    }

    @Test
    void aPeerBackOnlineMayHaveLostOurPresence() {
        repair.heardFrom(PEER);
        repair.forget(PEER);
        assertTrue(repair.presenceDue(PEER, 1_000));
    }
}
