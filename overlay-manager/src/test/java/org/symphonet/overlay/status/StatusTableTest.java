package org.symphonet.overlay.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StatusTableTest {

    @Test
    void rendersHeaderAndOneRowPerLink() {
        String t = StatusTable.render(StatusServerTest.SAMPLE);
        assertTrue(t.startsWith("node 0123456789abcdef0123456789abcdef  version 0.1.0  up 42s\n"), t);
        assertTrue(t.contains("connected (tls)  peers 3"), t);
        assertTrue(t.contains("server xmpp1.example.org  stanzas in/out 120/95  bytes in/out 46.9KiB/30.3KiB\n"), t);
        assertTrue(t.contains("overlay lan1  bridge symbr0  members 4  links 2\n"), t);
        String[] lines = t.split("\n");
        String header = lines[4];
        assertTrue(header.startsWith("PEER      JID"), header);
        assertTrue(lines[5].startsWith("fedcba98  node2@example.org/symphonet  successor  out  up"), lines[5]);
        assertTrue(lines[5].contains("0.8ms"), lines[5]);
        assertTrue(lines[6].contains(" - "), "no RTT yet: " + lines[6]);
        assertEquals("traffic to 22222222 1.4MiB/s (2s ago)", lines[7]);
    }

    @Test
    void units() {
        assertEquals("512B", StatusTable.bytes(512));
        assertEquals("1.5KiB", StatusTable.bytes(1536));
        assertEquals("2.0GiB", StatusTable.bytes(2L << 30));
        assertEquals("59s", StatusTable.age(59));
        assertEquals("5m", StatusTable.age(300));
        assertEquals("3h", StatusTable.age(3 * 3600));
        assertEquals("4d", StatusTable.age(4 * 86400));
    }
}
