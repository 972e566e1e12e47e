package org.symphonet.ofcontroller.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.DatapathId;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;

class SwitchSessionTest {

    private final OFFactory f = OFFactories.getFactory(OFVersion.OF_13);

    /** A switch whose handshake is done, with an app that records what it hears. */
    private final List<String> heard = new ArrayList<>();
    private boolean releaseClose;

    private EmbeddedChannel readySwitch(SwitchSession[] session) {
        SwitchSession s = new SwitchSession((sess, dpid, ports) -> new SwitchApp() {
            @Override
            public void onMessage(OFMessage message) {
                heard.add("message");
                sess.send(f.buildBarrierRequest().build()); // an answer, as a packet-in gets a packet-out
            }

            @Override
            public void onTick() {
            }

            @Override
            public void onDisconnect() {
                heard.add("disconnect");
            }
        });
        session[0] = s;
        // Holds close() back as Netty does while it still works through what it read: the session
        // must not rely on the channel going inactive at once.
        EmbeddedChannel ch = new EmbeddedChannel(new ChannelOutboundHandlerAdapter() {
            @Override
            public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
                if (releaseClose) {
                    ctx.close(promise);
                }
            }
        }, s);
        ch.writeInbound(f.buildHello().build());
        ch.writeInbound(f.buildFeaturesReply().setDatapathId(DatapathId.of(7)).build());
        ch.writeInbound(f.buildPortDescStatsReply().setEntries(List.of()).build());
        assertTrue(s.ready());
        while (ch.readOutbound() != null) {
            // hello, features and port requests, set-config
        }
        return ch;
    }

    @Test
    void aFailedWriteEndsTheSessionAtOnceAndOnlyOnce() {
        SwitchSession[] s = new SwitchSession[1];
        EmbeddedChannel ch = readySwitch(s);
        // The switch hung up; what it sent before is still being read, as on a loaded host.
        ch.pipeline().fireExceptionCaught(new IOException("writevAddresses(..) failed with error(-32): Broken pipe"));
        assertEquals(List.of("disconnect"), heard, "the app hears of it with the first failure");
        ch.pipeline().fireChannelRead(f.buildEchoRequest().setData(new byte[0]).build());
        ch.pipeline().fireExceptionCaught(new IOException("Broken pipe"));
        s[0].send(f.buildBarrierRequest().build());
        ch.runPendingTasks();
        assertNull(ch.readOutbound(), "nothing more is written to a connection that failed");
        releaseClose = true;
        ch.close();
        assertEquals(List.of("disconnect"), heard, "no message for the app after the failure, one disconnect in all");
    }

    @Test
    void aLongReadBatchIsFlushedAsItGoesNotOnlyAtItsEnd() {
        EmbeddedChannel ch = readySwitch(new SwitchSession[1]);
        // Packet-ins of one read batch, each answered; the batch is not over (no read-complete yet).
        for (int i = 0; i < SwitchSession.FLUSH_EVERY * 3; i++) {
            ch.pipeline().fireChannelRead(f.buildEchoReply().setData(new byte[0]).build());
        }
        assertEquals(0, heard.size(), "echo replies are the session's own");
        for (int i = 0; i < SwitchSession.FLUSH_EVERY * 3 + 5; i++) {
            ch.pipeline().fireChannelRead(f.buildBarrierReply().build());
        }
        assertEquals(SwitchSession.FLUSH_EVERY * 3, ch.outboundMessages().size(),
                "the switch already has every full group of answers");
        ch.pipeline().fireChannelReadComplete();
        assertEquals(SwitchSession.FLUSH_EVERY * 3 + 5, ch.outboundMessages().size());
    }

    @Test
    void aPlainCloseStillReportsTheDisconnect() {
        EmbeddedChannel ch = readySwitch(new SwitchSession[1]);
        ch.writeInbound(f.buildEchoReply().setData(new byte[0]).build());
        releaseClose = true;
        ch.close();
        assertEquals(List.of("disconnect"), heard);
    }
}
