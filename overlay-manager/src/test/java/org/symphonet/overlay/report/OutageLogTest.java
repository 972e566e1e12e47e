package org.symphonet.overlay.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OutageLogTest {

    @Test
    void oneLinePerOutageAndOneWhenItEnds() {
        OutageLog o = new OutageLog();
        assertTrue(o.success().isEmpty(), "no outage, nothing to say");
        assertTrue(o.failure("collector http://c unreachable: java.net.ConnectException: refused").isPresent());
        for (int i = 0; i < 100; i++) {
            assertTrue(o.failure("collector http://c unreachable: java.net.ConnectException: refused " + i).isEmpty());
        }
        assertTrue(o.inOutage());
        String back = o.success().orElseThrow();
        assertTrue(back.contains("101 failed attempts"), back);
        assertFalse(o.inOutage());
        assertTrue(o.failure("collector http://c unreachable: timeout").isPresent(), "a new outage is logged again");
    }

    @Test
    void aDifferentProblemDuringAnOutageIsLoggedOnce() {
        OutageLog o = new OutageLog();
        o.failure("collector http://c unreachable: refused");
        String changed = o.failure("the collector rejected the token: HTTP 401 bad token").orElseThrow();
        assertTrue(changed.startsWith("still cannot report"), changed);
        assertEquals(true, o.failure("the collector rejected the token: HTTP 401 bad token").isEmpty());
    }
}
