package org.symphonet.tunnel.datapath;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import org.symphonet.tunnel.TunnelCounters;
import org.symphonet.tunnel.dtls.BatchingPath;
import org.symphonet.tunnel.dtls.LoneHop;
import org.symphonet.tunnel.dtls.PolledPath;
import org.symphonet.tunnel.dtls.RecordChannel;
import org.symphonet.tunnel.dtls.RecordTransport;
import org.symphonet.tunnel.fragment.Fragmenter;
import org.symphonet.tunnel.fragment.MessageType;
import org.symphonet.tunnel.fragment.Reassembler;
import org.symphonet.tunnel.liveness.Liveness;
import org.symphonet.tunnel.tap.FrameDescriptor;
import org.symphonet.tunnel.tap.FramePort;
import org.symphonet.tunnel.tap.PolledPort;

/**
 * The running data path of one tunnel, plus the control messages (keepalive, close) that the
 * timer side sends. When both ends can be waited on together (a TAP or packet socket, and our
 * own batched socket: every direct and ICE tunnel over IPv4) one thread serves both directions
 * ({@link TunnelLoop}); otherwise each direction has its own thread, blocking on its source.
 */
public final class Datapath {
    private static final int REASSEMBLY_SLOTS = 8;
    private static final Duration JOIN = Duration.ofSeconds(3);

    private final RecordChannel dtls;
    private final RecordTransport transport;
    private final Liveness liveness;
    private final TunnelCounters counters;
    private final TapToPeer outbound;
    private final PeerToTap inbound;
    private final List<Thread> threads;
    private final byte[] control = new byte[Liveness.MESSAGE_LENGTH];
    /** Whether the loop's waits carry lone frames natively ({@link LoneHop}). */
    private final boolean hop;

    public Datapath(String name, RecordChannel dtls, RecordTransport transport, FramePort port,
                    TunnelCounters counters, Liveness liveness, FailureHandler failure, int maxFrame,
                    boolean clampTcpMss) throws IOException {
        this.dtls = dtls;
        this.transport = transport;
        this.liveness = liveness;
        this.counters = counters;
        Fragmenter fragmenter = new Fragmenter(dtls.getSendLimit());
        BatchingPath batching = transport.path() instanceof BatchingPath b ? b : null;
        // A frame fits one record if it leaves room for the message type byte.
        MssClamp clamp = clampTcpMss ? new MssClamp(fragmenter.maxRecordPayload() - 1) : null;
        this.outbound = new TapToPeer(port, dtls, fragmenter, clamp, counters, failure,
                batching == null ? FramePort.IdleHook.NONE : batching::flush);
        this.inbound = new PeerToTap(dtls, transport, port, new Reassembler(REASSEMBLY_SLOTS, maxFrame),
                liveness, counters, failure, maxFrame);
        if (port instanceof PolledPort polledPort && transport.path() instanceof PolledPath polledPath
                && batching != null) {
            LoneHop hop = polledPort.frameDescriptor() == FrameDescriptor.NONE ? null : LoneHop.open(dtls,
                    transport.path(), polledPort.descriptor(), polledPort.frameDescriptor().code(),
                    polledPort.answersWithinWrite(), polledPort.maxRead(), maxFrame, clamp != null, MessageType.FRAME,
                    TunnelLoop.LINGER);
            this.hop = hop != null;
            // The loop writes what it held after each batch of records it received.
            inbound.joinFrames();
            Thread loop = new Thread(new TunnelLoop(outbound, inbound, polledPort, polledPath, batching, counters,
                    hop), "tunnel-" + name);
            // The loop sends both frames and keepalive answers: both batched, flushed each turn.
            batching.batchFor(loop);
            this.threads = List.of(loop);
        } else {
            this.hop = false;
            Thread out = new Thread(outbound, "tunnel-out-" + name);
            if (batching != null) {
                // Only the frame sender batches; keepalives and answers go out at once.
                batching.batchFor(out);
            }
            this.threads = List.of(new Thread(inbound, "tunnel-in-" + name), out);
        }
        threads.forEach(t -> t.setDaemon(true));
    }

    /** The record layer carrying the data ({@link RecordChannel#label}). */
    public String records() {
        return dtls.label();
    }

    /** How a lone frame crosses: "native" ({@link LoneHop}) or "java" (for the log). */
    public String hop() {
        return hop ? "native" : "java";
    }

    /** 1 when one thread serves both directions ({@link TunnelLoop}), else 2. */
    public int threadCount() {
        return threads.size();
    }

    public void start() {
        threads.forEach(Thread::start);
    }

    /** Timer thread: one keepalive probe. */
    public synchronized void sendKeepalive() throws IOException {
        int n = liveness.writeProbe(control, System.nanoTime(), MessageType.KEEPALIVE);
        dtls.send(control, 0, n);
        counters.keepalivesSent.incrementAndGet();
    }

    /** Tells the peer we are going, so it need not wait for the dead interval. Best effort. */
    public synchronized void sendClose() {
        control[0] = MessageType.CLOSE;
        try {
            dtls.send(control, 0, 1);
        } catch (IOException | RuntimeException e) {
            // The peer will notice by the dead interval instead.
        }
    }

    /**
     * Stops the thread(s): closing the path wakes a receiver or the loop, the TAP's bounded
     * poll wakes a sender. Returns once all have exited (or the join bound hit).
     */
    public void stop() {
        outbound.stop();
        inbound.stop();
        transport.close();
        threads.forEach(Datapath::join);
    }

    private static void join(Thread t) {
        if (t == Thread.currentThread() || !t.isAlive()) {
            return;
        }
        try {
            t.join(JOIN.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
