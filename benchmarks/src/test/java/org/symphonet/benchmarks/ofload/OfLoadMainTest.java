package org.symphonet.benchmarks.ofload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import org.junit.jupiter.api.Test;

class OfLoadMainTest {

  @Test
  void parsesControllerAddresses() {
    assertEquals(new InetSocketAddress("127.0.0.1", 6653), OfLoadMain.parseAddress("tcp:127.0.0.1:6653"));
    assertEquals(new InetSocketAddress("127.0.0.1", 6633), OfLoadMain.parseAddress("127.0.0.1:6633"));
    assertEquals(UnixDomainSocketAddress.of("/run/x.sock"), OfLoadMain.parseAddress("unix:/run/x.sock"));
    assertThrows(IllegalArgumentException.class, () -> OfLoadMain.parseAddress("tcp:6653"));
    assertThrows(IllegalArgumentException.class, () -> OfLoadMain.parseAddress("host:"));
  }

  @Test
  void readsCpuTicksFromProcStatEvenWithOddCommandNames() {
    String stat = "1234 (java (x) y) S 1 1234 1234 0 -1 4194560 100 0 0 0 250 31 0 0 20 0 27 0 55 0 0";
    assertEquals(281, LoadGenerator.parseCpuTicks(stat));
    assertEquals(-1, LoadGenerator.cpuTicks(0));
  }
}
