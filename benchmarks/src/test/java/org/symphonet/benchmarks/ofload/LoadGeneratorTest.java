package org.symphonet.benchmarks.ofload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFeaturesReply;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.projectfloodlight.openflow.protocol.OFPortDescStatsReply;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFPort;

/** The generator against a tiny in-process controller that answers every packet-in. */
class LoadGeneratorTest {
  private static final OFFactory F = OFFactories.getFactory(OFVersion.OF_13);

  static final class FakeController implements AutoCloseable {
    final ServerSocket server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
    final Set<Long> dpids = ConcurrentHashMap.newKeySet();
    final AtomicInteger portDescReplies = new AtomicInteger();
    final AtomicInteger echoReplies = new AtomicInteger();
    final AtomicInteger barrierReplies = new AtomicInteger();
    final AtomicInteger packetIns = new AtomicInteger();

    FakeController() throws IOException {
      Thread t = new Thread(this::accept, "fake-controller");
      t.setDaemon(true);
      t.start();
    }

    int port() {
      return server.getLocalPort();
    }

    private void accept() {
      try {
        while (true) {
          Socket s = server.accept();
          Thread t = new Thread(() -> serve(s), "fake-controller-conn");
          t.setDaemon(true);
          t.start();
        }
      } catch (IOException closed) {
        // server closed
      }
    }

    private static void send(OutputStream out, OFMessage... msgs) throws IOException {
      ByteBuf b = Unpooled.buffer();
      for (OFMessage m : msgs) {
        m.writeTo(b);
      }
      byte[] bytes = new byte[b.readableBytes()];
      b.readBytes(bytes);
      out.write(bytes);
      out.flush();
    }

    private void serve(Socket s) {
      try (s) {
        s.setTcpNoDelay(true);
        DataInputStream in = new DataInputStream(s.getInputStream());
        OutputStream out = s.getOutputStream();
        send(out, F.buildHello().setXid(1).build(), F.buildFeaturesRequest().setXid(2).build(),
            F.buildPortDescStatsRequest().setXid(3).build(),
            F.buildEchoRequest().setXid(4).setData(new byte[] {1, 2}).build(),
            F.buildSetConfig().setXid(5).setMissSendLen(0xffff).build(),
            F.buildBarrierRequest().setXid(6).build());
        byte[] hdr = new byte[8];
        while (true) {
          in.readFully(hdr);
          int len = ((hdr[2] & 0xFF) << 8) | (hdr[3] & 0xFF);
          byte[] msg = new byte[len];
          System.arraycopy(hdr, 0, msg, 0, 8);
          in.readFully(msg, 8, len - 8);
          OFMessage m = OFFactories.getGenericReader().readFrom(Unpooled.wrappedBuffer(msg));
          if (m instanceof OFFeaturesReply) {
            dpids.add(((OFFeaturesReply) m).getDatapathId().getLong());
          } else if (m instanceof OFPortDescStatsReply) {
            assertEquals(4, ((OFPortDescStatsReply) m).getEntries().size());
            portDescReplies.incrementAndGet();
          } else if (m.getType() == org.projectfloodlight.openflow.protocol.OFType.ECHO_REPLY) {
            echoReplies.incrementAndGet();
          } else if (m.getType() == org.projectfloodlight.openflow.protocol.OFType.BARRIER_REPLY) {
            barrierReplies.incrementAndGet();
          } else if (m instanceof OFPacketIn) {
            packetIns.incrementAndGet();
            OFPacketIn pi = (OFPacketIn) m;
            OFPort inPort = pi.getMatch().get(MatchField.IN_PORT);
            List<OFAction> out1 = List.of(F.actions().output(OFPort.of(inPort.getPortNumber() % 4 + 1), 0xffff));
            send(out,
                F.buildFlowAdd().setXid(pi.getXid()).setActions(out1).build(),
                F.buildPacketOut().setXid(pi.getXid()).setBufferId(OFBufferId.NO_BUFFER)
                    .setInPort(inPort).setActions(out1).setData(pi.getData()).build());
          }
        }
      } catch (IOException | RuntimeException
          | org.projectfloodlight.openflow.exceptions.OFParseError e) {
        // connection closed by the generator
      }
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }

  @Test
  void handshakesAndCountsAnswers() throws Exception {
    try (FakeController ctl = new FakeController()) {
      LoadGenerator.Config cfg = new LoadGenerator.Config();
      cfg.address = new InetSocketAddress("127.0.0.1", ctl.port());
      cfg.switches = 3;
      cfg.window = 8;
      cfg.settleMs = 200;
      cfg.warmupMs = 200;
      cfg.durationMs = 700;
      cfg.bufferBytes = 1 << 16;
      cfg.watchPid = ProcessHandle.current().pid();
      LoadGenerator.Result tput;
      LoadGenerator.Result lat;
      try (LoadGenerator gen = new LoadGenerator(cfg)) {
        gen.connect();
        tput = gen.measure("throughput", cfg.window);
        lat = gen.measure("latency", 1);
        assertTrue(gen.notes().isEmpty(), gen.notes().toString());
      }
      assertEquals(3, ctl.dpids.size());
      assertEquals(3, ctl.portDescReplies.get());
      assertEquals(3, ctl.echoReplies.get());
      assertEquals(3, ctl.barrierReplies.get());
      for (LoadGenerator.Result r : List.of(tput, lat)) {
        assertTrue(r.answered > 100, r.resultLine());
        assertEquals(0, r.lost, r.resultLine());
        assertEquals(0, r.foreignPacketOuts, r.resultLine());
        assertEquals(r.answered, r.packetOuts, r.resultLine());
        assertTrue(Math.abs(r.flowMods - r.answered) <= cfg.switches * cfg.window, r.resultLine());
        assertTrue(r.latency.percentile(50) > 0, r.resultLine());
        assertTrue(r.controllerCpuPercent >= 0, r.resultLine());
        assertTrue(r.resultLine().startsWith("RESULT mode=" + r.mode + " "));
      }
      assertEquals(1, lat.window);
    }
  }
}
