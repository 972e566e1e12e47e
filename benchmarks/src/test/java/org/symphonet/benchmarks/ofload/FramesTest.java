package org.symphonet.benchmarks.ofload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FramesTest {

  @Test
  void sourceMacsAreFreshLocallyAdministeredUnicastAndDecodable() {
    Set<Long> seen = new HashSet<>();
    for (int sw = 0; sw < 40; sw++) {
      for (long seq = 0; seq < 500; seq++) {
        long mac = Frames.sourceMac(sw, seq);
        assertTrue(seen.add(mac), "duplicate " + Frames.macToString(mac));
        int first = (int) (mac >>> 40);
        assertEquals(0, first & 1, "multicast bit set");
        assertEquals(2, first & 2, "not locally administered");
        assertEquals(sw, Frames.switchOf(mac));
        assertEquals(seq, Frames.seqOf(mac));
      }
    }
  }

  @Test
  void destinationIsThePreviousSourceLearnedOnAnotherPort() {
    for (int ports = 2; ports <= 6; ports++) {
      for (long seq = 1; seq < 100; seq++) {
        assertEquals(Frames.sourceMac(3, seq - 1), Frames.destinationMac(3, seq));
        assertNotEquals(Frames.inPort(seq - 1, ports), Frames.inPort(seq, ports));
        int p = Frames.inPort(seq, ports);
        assertTrue(p >= 1 && p <= ports);
      }
    }
    assertEquals(Frames.UNKNOWN_MAC, Frames.destinationMac(0, 0));
    assertEquals(-1, Frames.switchOf(Frames.UNKNOWN_MAC));
    assertThrows(IllegalArgumentException.class, () -> Frames.inPort(0, 1));
    assertThrows(IllegalArgumentException.class, () -> Frames.sourceMac(-1, 0));
  }

  @Test
  void sequenceWrapsAt24Bits() {
    assertEquals(Frames.sourceMac(1, 5), Frames.sourceMac(1, (1L << 24) + 5));
    assertEquals(Frames.SEQ_MASK, Frames.seqOf(Frames.sourceMac(1, -1L)));
  }

  @Test
  void foreignMacsAreNotOurs() {
    assertEquals(-1, Frames.switchOf(0x001122334455L));
    assertEquals(-1, Frames.switchOf(0x020000000001L)); // switch field 0 is never used
    assertEquals(-1, Frames.switchOf(0xFFFFFFFFFFFFL));
  }

  @Test
  void frameIsAValidIpv4UdpFrame() {
    long dst = Frames.sourceMac(7, 41);
    long src = Frames.sourceMac(7, 42);
    byte[] f = Frames.frame(dst, src);
    assertEquals(Frames.FRAME_LEN, f.length);
    assertEquals(dst, Frames.getMac(f, 0));
    assertEquals(src, Frames.getMac(f, 6));
    assertEquals(0x08, f[12]);
    assertEquals(0x00, f[13]);
    assertEquals(0x45, f[14]);
    assertEquals(17, f[23]);
    // A header with a correct checksum sums to zero.
    assertEquals(0, Frames.ipv4Checksum(f, 14, 20));
    int udpLen = ((f[38] & 0xFF) << 8) | (f[39] & 0xFF);
    assertEquals(Frames.FRAME_LEN - 34, udpLen);
  }

  @Test
  void macRoundTripAndText() {
    byte[] b = new byte[8];
    Frames.putMac(b, 1, 0x0a1b2c3d4e5fL);
    assertEquals(0x0a1b2c3d4e5fL, Frames.getMac(b, 1));
    assertEquals("0a:1b:2c:3d:4e:5f", Frames.macToString(0x0a1b2c3d4e5fL));
  }
}
