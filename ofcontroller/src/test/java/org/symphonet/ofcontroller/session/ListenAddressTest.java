package org.symphonet.ofcontroller.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class ListenAddressTest {
    @Test
    void parsesTcpAndUnix() {
        assertEquals(new ListenAddress("127.0.0.1", 6653, null), ListenAddress.parse("tcp:127.0.0.1:6653"));
        assertEquals(new ListenAddress("127.0.0.1", 6653, null), ListenAddress.parse("127.0.0.1:6653"));
        assertEquals(new ListenAddress("::1", 1, null), ListenAddress.parse("tcp:[::1]:1"));
        assertTrue(ListenAddress.parse("unix:/run/x.sock").isUnix());
        assertEquals(Path.of("/run/x.sock"), ListenAddress.parse("unix:/run/x.sock").unixPath());
    }

    @Test
    void rejectsNonsenseClearly() {
        for (String bad : new String[] {"", "tcp:", "tcp:host", "host:port", "unix:relative", "x:70000"}) {
            assertThrows(IllegalArgumentException.class, () -> ListenAddress.parse(bad), bad);
        }
    }
}
