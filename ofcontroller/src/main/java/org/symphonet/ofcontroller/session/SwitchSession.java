package org.symphonet.ofcontroller.session;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.projectfloodlight.openflow.protocol.OFEchoReply;
import org.projectfloodlight.openflow.protocol.OFEchoRequest;
import org.projectfloodlight.openflow.protocol.OFErrorMsg;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFeaturesReply;
import org.projectfloodlight.openflow.protocol.OFHello;
import org.projectfloodlight.openflow.protocol.OFHelloElem;
import org.projectfloodlight.openflow.protocol.OFHelloElemVersionbitmap;
import org.projectfloodlight.openflow.protocol.OFHelloFailedCode;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.OFPortDescStatsReply;
import org.projectfloodlight.openflow.protocol.OFStatsReplyFlags;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.U32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * One OpenFlow 1.3 connection: HELLO and version negotiation, FEATURES, PORT_DESC, then hands the
 * switch to its {@link SwitchApp}. Answers echo requests in any state and probes an idle switch
 * itself. Everything runs on the channel's event loop; writes are flushed once per read batch.
 */
public final class SwitchSession extends SimpleChannelInboundHandler<OFMessage> implements SwitchChannel {

    private static final Logger log = LoggerFactory.getLogger(SwitchSession.class);
    private static final int OF13_BIT = 1 << OFVersion.OF_13.getWireVersion();
    private static final int HANDSHAKE_TIMEOUT_SECONDS = 10;
    private static final int MISSED_ECHOES_BEFORE_CLOSE = 3;

    private enum State { WAIT_HELLO, WAIT_FEATURES, WAIT_PORTS, READY, CLOSED }

    private final OFFactory factory = OFFactories.getFactory(OFVersion.OF_13);
    private final SwitchAppFactory apps;
    private Channel channel;
    private State state = State.WAIT_HELLO;
    private long datapathId;
    private final List<OFPortDesc> ports = new ArrayList<>();
    private SwitchApp app;
    private int unansweredEchoes;
    private boolean writesPending;
    /**
     * Writes are flushed once per read batch, and also after this many: one batch can hold a
     * thousand packet-ins, and on a host whose CPU is shared by tens of busy processes working
     * through it took seconds. The switch heard nothing from us all that time, and ovs-vswitchd
     * drops a controller connection on which nothing moved for twice its inactivity probe.
     */
    static final int FLUSH_EVERY = 32;
    private int unflushed;
    private ScheduledFuture<?> ticker;
    private ScheduledFuture<?> handshakeTimeout;
    private long xid = 1;

    public SwitchSession(SwitchAppFactory apps) {
        this.apps = apps;
    }

    public OFFactory factory() {
        return factory;
    }

    public long datapathId() {
        return datapathId;
    }

    public Channel channel() {
        return channel;
    }

    public boolean ready() {
        return state == State.READY;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        log.debug("connection from {}", channel.remoteAddress());
        OFHelloElem bitmap = factory.buildHelloElemVersionbitmap().setBitmaps(List.of(U32.of(OF13_BIT))).build();
        ctx.writeAndFlush(factory.buildHello().setXid(nextXid()).setElements(List.of(bitmap)).build());
        handshakeTimeout = ctx.executor().schedule(() -> {
            if (state != State.READY) {
                log.warn("switch {} did not finish the OpenFlow handshake in {} s (state {}); closing",
                        channel.remoteAddress(), HANDSHAKE_TIMEOUT_SECONDS, state);
                ctx.close();
            }
        }, HANDSHAKE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, OFMessage m) {
        unansweredEchoes = 0;
        switch (m.getType()) {
            case ECHO_REQUEST -> {
                OFEchoRequest req = (OFEchoRequest) m;
                OFEchoReply reply = factory.buildEchoReply().setXid(req.getXid()).setData(req.getData()).build();
                send(reply);
                return;
            }
            case ECHO_REPLY -> {
                return;
            }
            case ERROR -> {
                log.warn("switch {} reported an error: {}", name(), m);
                return;
            }
            default -> {
            }
        }
        switch (state) {
            case WAIT_HELLO -> onHello(ctx, m);
            case WAIT_FEATURES -> {
                if (m instanceof OFFeaturesReply fr) {
                    datapathId = fr.getDatapathId().getLong();
                    state = State.WAIT_PORTS;
                    send(factory.buildPortDescStatsRequest().setXid(nextXid()).build());
                }
            }
            case WAIT_PORTS -> {
                if (m instanceof OFPortDescStatsReply pr) {
                    ports.addAll(pr.getEntries());
                    if (!pr.getFlags().contains(OFStatsReplyFlags.REPLY_MORE)) {
                        becomeReady(ctx);
                    }
                }
            }
            case READY -> {
                try {
                    app.onMessage(m);
                } catch (RuntimeException e) {
                    // A bug in one message's handling must not take the switch offline.
                    log.error("switch {}: failed to handle {}", name(), m.getType(), e);
                }
            }
            case CLOSED -> {
            }
        }
    }

    private void onHello(ChannelHandlerContext ctx, OFMessage m) {
        if (!(m instanceof OFHello hello)) {
            log.warn("switch {} spoke before HELLO ({}); closing", ctx.channel().remoteAddress(), m.getType());
            ctx.close();
            return;
        }
        if (!speaksOf13(hello)) {
            log.warn("switch {} does not speak OpenFlow 1.3 (HELLO version {}); closing", ctx.channel().remoteAddress(),
                    hello.getVersion());
            ctx.writeAndFlush(factory.errorMsgs().buildHelloFailedErrorMsg().setXid(hello.getXid())
                    .setCode(OFHelloFailedCode.INCOMPATIBLE).build()).addListener(f -> ctx.close());
            state = State.CLOSED;
            return;
        }
        state = State.WAIT_FEATURES;
        send(factory.buildFeaturesRequest().setXid(nextXid()).build());
    }

    private static boolean speaksOf13(OFHello hello) {
        for (OFHelloElem e : hello.getElements()) {
            if (e instanceof OFHelloElemVersionbitmap vb && !vb.getBitmaps().isEmpty()) {
                return (vb.getBitmaps().get(0).getValue() & OF13_BIT) != 0;
            }
        }
        return hello.getVersion().getWireVersion() >= OFVersion.OF_13.getWireVersion();
    }

    private void becomeReady(ChannelHandlerContext ctx) {
        state = State.READY;
        handshakeTimeout.cancel(false);
        // Full frames in every packet-in: the controller never works with switch-side buffers.
        send(factory.buildSetConfig().setXid(nextXid()).setMissSendLen(0xffff).build());
        app = apps.connected(this, datapathId, List.copyOf(ports));
        ports.clear();
        ticker = ctx.executor().scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    private void tick() {
        runReady("periodic work", app::onTick);
    }

    /** Runs timer work while the switch is in service, then flushes what it wrote. */
    private void runReady(String what, Runnable task) {
        if (state == State.READY) {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.error("switch {}: {} failed", name(), what, e);
            }
            flush();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        flush();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent && state != State.CLOSED) {
            if (++unansweredEchoes > MISSED_ECHOES_BEFORE_CLOSE) {
                log.warn("switch {} answered no echo for {} probes; closing", name(), MISSED_ECHOES_BEFORE_CLOSE);
                ctx.close();
                return;
            }
            ctx.writeAndFlush(factory.buildEchoRequest().setXid(nextXid()).setData(new byte[0]).build());
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        ended("disconnected");
    }

    /**
     * The session is over: no more writes, timers or messages for the app, which hears of it once.
     * Called when the channel goes inactive, and already on the first failed write or read: Netty
     * reports the inactive channel only after it worked through what it had read, and a switch that
     * hung up under load left thousands of packet-ins behind it, each answered by a write that
     * failed again (32 nodes on 2 cores: 16,000 "connection lost" lines and 30 s until the bridge's
     * reconnection was taken, all that time without a controller).
     */
    private void ended(String how) {
        State was = state;
        state = State.CLOSED;
        if (ticker != null) {
            ticker.cancel(false);
        }
        if (handshakeTimeout != null) {
            handshakeTimeout.cancel(false);
        }
        if (was == State.READY) {
            log.info("switch {} {}", name(), how);
            app.onDisconnect();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (state == State.CLOSED) {
            ctx.close();
            return; // reported once already
        }
        if (cause instanceof java.io.IOException) {
            // The switch hung up (ovs-vswitchd reconnects when its bridge is reconfigured, or it
            // restarted): an ordinary event with nothing to debug, so no stack trace.
            log.info("switch {}: connection lost ({}); it will reconnect", name(), cause.getMessage());
        } else {
            log.warn("switch {}: {}; closing the connection", name(), cause.toString(), cause);
        }
        ended("disconnected");
        ctx.channel().config().setAutoRead(false); // what is still buffered is for a session that is over
        ctx.close();
    }

    @Override
    public void send(OFMessage message) {
        if (channel != null && state != State.CLOSED) {
            channel.write(message, channel.voidPromise());
            writesPending = true;
            if (++unflushed >= FLUSH_EVERY) {
                flush();
            }
        }
    }

    @Override
    public void schedule(long millis, Runnable task) {
        if (channel == null) {
            return;
        }
        channel.eventLoop().schedule(() -> runReady("scheduled work", task), millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void flush() {
        if (writesPending && channel != null) {
            writesPending = false;
            unflushed = 0;
            channel.flush();
        }
    }

    public void close() {
        if (channel != null) {
            channel.close();
        }
    }

    private String name() {
        return datapathId != 0 ? String.format("%016x", datapathId) : String.valueOf(channel == null ? "?" : channel.remoteAddress());
    }

    private long nextXid() {
        return xid++;
    }
}
