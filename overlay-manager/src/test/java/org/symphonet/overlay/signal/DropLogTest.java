package org.symphonet.overlay.signal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class DropLogTest {

    @Test
    void onlyTheFirstFewPerSenderAndWindowAreLogged() {
        DropLog d = new DropLog(LoggerFactory.getLogger(DropLogTest.class), 2, 1000);
        assertTrue(d.drop("message", "a@x/r", "bad", 0));
        assertTrue(d.drop("message", "a@x/r", "bad", 1));
        assertFalse(d.drop("message", "a@x/r", "bad", 2));
        assertFalse(d.drop("message", "a@x/r", "bad", 999));
        assertTrue(d.drop("message", "b@x/r", "bad", 999), "other senders are not silenced");
        assertTrue(d.drop("message", "a@x/r", "bad", 1000), "new window");
    }
}
