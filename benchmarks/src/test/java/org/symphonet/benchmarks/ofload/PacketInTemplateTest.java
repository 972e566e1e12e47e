package org.symphonet.benchmarks.ofload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFPort;

class PacketInTemplateTest {
  private static final OFFactory F = OFFactories.getFactory(OFVersion.OF_13);

  @Test
  void patchedTemplateEqualsWhatLoxiEncodes() {
    PacketInTemplate t = new PacketInTemplate();
    ByteBuffer out = ByteBuffer.allocate(4096);
    int[][] cases = {{0, 0, 1}, {0, 1, 2}, {5, 77, 0x7fffffff}, {65000, 123456, 9}};
    for (int[] c : cases) {
      out.clear();
      int sw = c[0];
      long seq = c[1];
      int xid = c[2];
      t.write(out, xid, sw, seq, 4);
      byte[] got = new byte[out.position()];
      out.flip();
      out.get(got);
      byte[] frame = Frames.frame(Frames.destinationMac(sw, seq), Frames.sourceMac(sw, seq));
      byte[] want = PacketInTemplate.encode(
          PacketInTemplate.build(F, xid, Frames.inPort(seq, 4), frame));
      assertArrayEquals(want, got, "switch " + sw + " seq " + seq);
    }
  }

  @Test
  void loxiParsesWhatWeSend() throws Exception {
    PacketInTemplate t = new PacketInTemplate();
    ByteBuffer out = ByteBuffer.allocate(1024);
    t.write(out, 99, 2, 10, 3);
    t.write(out, 100, 2, 11, 3);
    out.flip();
    byte[] all = new byte[out.remaining()];
    out.get(all);
    var buf = Unpooled.wrappedBuffer(all);
    for (long seq = 10; seq <= 11; seq++) {
      OFMessage m = OFFactories.getGenericReader().readFrom(buf);
      assertTrue(m instanceof OFPacketIn);
      OFPacketIn pi = (OFPacketIn) m;
      assertEquals(89 + seq, pi.getXid());
      assertEquals(OFBufferId.NO_BUFFER, pi.getBufferId());
      assertEquals(OFPort.of(Frames.inPort(seq, 3)), pi.getMatch().get(MatchField.IN_PORT));
      assertEquals(Frames.FRAME_LEN, pi.getTotalLen());
      assertEquals(Frames.sourceMac(2, seq), Frames.getMac(pi.getData(), 6));
      assertEquals(Frames.sourceMac(2, seq - 1), Frames.getMac(pi.getData(), 0));
    }
    assertEquals(0, buf.readableBytes());
    assertEquals(t.length(), all.length / 2);
    assertEquals(t.length() - Frames.FRAME_LEN, t.dataOffset());
  }
}
