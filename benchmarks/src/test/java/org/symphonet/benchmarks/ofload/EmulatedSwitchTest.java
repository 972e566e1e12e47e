package org.symphonet.benchmarks.ofload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowModFlags;
import org.projectfloodlight.openflow.protocol.OFFlowRemoved;
import org.projectfloodlight.openflow.protocol.OFFlowRemovedReason;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U64;

class EmulatedSwitchTest {
  private static final OFFactory F = OFFactories.getFactory(OFVersion.OF_13);

  private static Match match(int i) {
    return F.buildMatch().setExact(MatchField.IN_PORT, OFPort.of(i % 4 + 1))
        .setExact(MatchField.ETH_SRC, MacAddress.of(0x020000000000L + i)).build();
  }

  private static void feed(EmulatedSwitch sw, OFMessage m) {
    ByteBuf b = Unpooled.buffer();
    m.writeTo(b);
    byte[] bytes = new byte[b.readableBytes()];
    b.readBytes(bytes);
    sw.in.put(bytes);
  }

  @Test
  void oldestFlowsAskingForRemovalIdleOutBeyondTheTableSize() throws Exception {
    List<String> notes = new ArrayList<>();
    EmulatedSwitch sw = new EmulatedSwitch(0, 1, 4, 4, null, 1 << 16, 2, notes);
    Set<OFFlowModFlags> rem = EnumSet.of(OFFlowModFlags.SEND_FLOW_REM);
    for (int i = 0; i < 4; i++) {
      feed(sw, F.buildFlowAdd().setXid(i).setCookie(U64.of(0x5359000000000000L + i))
          .setTableId(TableId.of(1)).setPriority(100 + i).setIdleTimeout(300)
          .setFlags(rem).setMatch(match(i)).build());
      // flows without the flag never expire
      feed(sw, F.buildFlowAdd().setXid(100 + i).setMatch(match(50 + i)).build());
    }
    feed(sw, F.buildFlowDelete().setXid(9).setMatch(match(1)).build());
    sw.processInput(0, null);
    assertEquals(9, sw.flowMods);
    assertEquals(8, sw.flowAdds);
    assertEquals(1, sw.flowDeletes);
    assertEquals(2, sw.flowRemovedSent);
    sw.out.flip();
    byte[] outBytes = new byte[sw.out.remaining()];
    sw.out.get(outBytes);
    ByteBuf out = Unpooled.wrappedBuffer(outBytes);
    for (int i = 0; i < 2; i++) {
      OFMessage m = OFFactories.getGenericReader().readFrom(out);
      assertTrue(m instanceof OFFlowRemoved, String.valueOf(m));
      OFFlowRemoved fr = (OFFlowRemoved) m;
      assertEquals(U64.of(0x5359000000000000L + i), fr.getCookie());
      assertEquals(100 + i, fr.getPriority());
      assertEquals(TableId.of(1), fr.getTableId());
      assertEquals(OFFlowRemovedReason.IDLE_TIMEOUT, fr.getReason());
      assertEquals(300, fr.getIdleTimeout());
      assertEquals(match(i), fr.getMatch());
    }
    assertEquals(0, out.readableBytes());
    assertTrue(notes.isEmpty(), notes.toString());
  }
}
