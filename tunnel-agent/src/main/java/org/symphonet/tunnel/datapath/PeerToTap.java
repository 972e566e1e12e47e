package org.symphonet.tunnel.datapath;

import java.io.IOException;
import java.net.SocketException;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.TlsFatalAlertReceived;
import org.symphonet.tunnel.DownReason;
import org.symphonet.tunnel.TunnelCounters;
import org.symphonet.tunnel.dtls.LoneHop;
import org.symphonet.tunnel.dtls.RecordChannel;
import org.symphonet.tunnel.dtls.RecordTransport;
import org.symphonet.tunnel.fragment.MessageType;
import org.symphonet.tunnel.fragment.Reassembler;
import org.symphonet.tunnel.liveness.Liveness;
import org.symphonet.tunnel.tap.FramePort;

/**
 * Inbound direction (its own thread, or a turn of {@link TunnelLoop}): DTLS record in,
 * frame (or reassembled frame) to the TAP, control messages handled in place. Only
 * authenticated records get here; their inner format is still checked, since nothing a
 * peer sends may reach the TAP unless it is a plausible Ethernet frame.
 */
public final class PeerToTap implements Runnable {
    /** Destination + source MAC + ethertype. */
    static final int MIN_FRAME = 14;
    private static final int WAIT_MILLIS = 500;

    private final RecordChannel dtls;
    private final RecordTransport records;
    private final FramePort port;
    private final Reassembler reassembler;
    private final Liveness liveness;
    private final TunnelCounters counters;
    private final FailureHandler failure;
    private final int maxFrame;
    private final byte[] buf;
    private final byte[] answer = new byte[Liveness.MESSAGE_LENGTH];
    private final Runnable onAccepted;
    private volatile boolean stopping;
    /**
     * Whether frames go through {@link FramePort#writeJoining}: only where the caller flushes
     * after each batch of records ({@link #flushJoined}), the tunnel loop.
     */
    private boolean join;
    /** {@link FramePort#joinedFrames} when last copied to the counters. */
    private long joinedBefore;
    /** Unicast frames delivered; read by the loop thread that delivers them (see {@link AnswerWait}). */
    private long unicast;

    public PeerToTap(RecordChannel dtls, RecordTransport records, FramePort port, Reassembler reassembler,
                     Liveness liveness, TunnelCounters counters, FailureHandler failure, int maxFrame)
            throws IOException {
        this.dtls = dtls;
        this.records = records;
        this.port = port;
        this.reassembler = reassembler;
        this.liveness = liveness;
        this.counters = counters;
        this.failure = failure;
        this.maxFrame = maxFrame;
        this.buf = new byte[Math.max(dtls.getReceiveLimit(), 2048)];
        // Count refusals from here on: handshake retransmissions are not attacks. No
        // receive runs yet (the handshake is over, this thread not started).
        counters.rxOffered.set(0);
        counters.rxAccepted.set(0);
        // Only records under the session keys count as accepted and as a sign of life (the
        // channel runs this for those only).
        this.onAccepted = () -> {
            counters.rxAccepted.incrementAndGet();
            this.liveness.heard(System.nanoTime());
        };
    }

    @Override
    public void run() {
        while (!stopping && receiveOnce(WAIT_MILLIS)) {
            // One record (or a quiet wait) per turn.
        }
    }

    /**
     * Receives and handles at most one record, waiting up to {@code waitMillis} for it.
     * False once this direction must end: stopped, or a failure was reported.
     */
    boolean receiveOnce(int waitMillis) {
        int n;
        try {
            n = dtls.receive(buf, 0, buf.length, waitMillis, onAccepted);
        } catch (TlsFatalAlertReceived e) {
            failure.failed(DownReason.PEER_CLOSED, "peer sent fatal alert "
                    + AlertDescription.getText(e.getAlertDescription()));
            return false;
        } catch (SocketException e) {
            if (!stopping) {
                if (records.isClosed()) {
                    // Not stopping, yet the transport is closed: only Bouncy Castle closes it then,
                    // on the peer's close_notify (an authenticated record; plaintext alerts are dropped).
                    failure.failed(DownReason.PEER_CLOSED, "peer closed the DTLS session");
                } else {
                    failure.failed(DownReason.IO_ERROR, "socket failed: " + e.getMessage());
                }
            }
            return false;
        } catch (IOException e) {
            if (!stopping) {
                failure.failed(DownReason.IO_ERROR, "receive failed: " + e.getMessage());
            }
            return false;
        }
        if (n >= 0) {
            dispatch(n);
        }
        return !stopping;
    }

    private void dispatch(int n) {
        if (n == 0) {
            counters.rxBadMessage.incrementAndGet();
            return;
        }
        try {
            switch (buf[0]) {
                case MessageType.FRAME -> deliver(buf, 1, n - 1);
                case MessageType.FRAGMENT -> {
                    counters.rxFragments.incrementAndGet();
                    int len = reassembler.accept(buf, 0, n);
                    if (len >= 0) {
                        deliver(reassembler.frame(), 0, len);
                    } else if (len == Reassembler.INVALID) {
                        counters.rxBadMessage.incrementAndGet();
                    }
                    counters.rxReassemblyDropped.set(reassembler.evicted());
                }
                case MessageType.KEEPALIVE -> {
                    if (n == Liveness.MESSAGE_LENGTH) {
                        System.arraycopy(buf, 0, answer, 0, n);
                        answer[0] = MessageType.KEEPALIVE_ACK;
                        dtls.send(answer, 0, n);
                    } else {
                        counters.rxBadMessage.incrementAndGet();
                    }
                }
                case MessageType.KEEPALIVE_ACK -> {
                    if (liveness.answered(buf, 0, n, System.nanoTime())) {
                        counters.keepalivesAnswered.incrementAndGet();
                    } else {
                        counters.rxBadMessage.incrementAndGet();
                    }
                }
                case MessageType.CLOSE -> {
                    stopping = true;
                    failure.failed(DownReason.PEER_CLOSED, "peer closed the tunnel");
                }
                default -> counters.rxBadMessage.incrementAndGet();
            }
        } catch (IOException e) {
            // A TAP write or keepalive answer that fails loses one frame, not the tunnel.
            counters.rxBadMessage.incrementAndGet();
        }
    }

    private void deliver(byte[] frame, int off, int len) throws IOException {
        if (len < MIN_FRAME || len > maxFrame) {
            counters.rxBadMessage.incrementAndGet();
            return;
        }
        if (join) {
            // Counted as written; a held frame the port later drops is taken back (joinedDropped).
            int dropped = port.writeJoining(frame, off, len);
            counters.rxFrames.incrementAndGet();
            counters.rxBytes.addAndGet(len);
            if ((frame[off] & 1) == 0) {
                unicast++;
            }
            joinedDropped(dropped);
            return;
        }
        if (port.write(frame, off, len)) {
            counters.rxFrames.incrementAndGet();
            counters.rxBytes.addAndGet(len);
            if ((frame[off] & 1) == 0) {
                unicast++;
            }
        } else {
            counters.rxDropped.incrementAndGet();
        }
    }

    /**
     * From now on frames may be held to be written together ({@link FramePort#writeJoining});
     * the caller then runs {@link #flushJoined} after every batch of records it hands here.
     */
    void joinFrames() {
        join = true;
    }

    /** Writes the frames held for joining (see {@link #joinFrames}). */
    void flushJoined() {
        if (!join) {
            return;
        }
        try {
            joinedDropped(port.flushJoined());
            long joined = port.joinedFrames();
            if (joined != joinedBefore) {
                joinedBefore = joined;
                counters.rxJoined.set(joined);
            }
        } catch (IOException e) {
            // As a failed write in deliver: the frames are lost, not the tunnel.
            counters.rxBadMessage.incrementAndGet();
        }
    }

    /** Frames written so far joined with others into superframes (0 unless {@link #joinFrames}). */
    long joinedFrames() {
        return join ? port.joinedFrames() : 0;
    }

    private void joinedDropped(int frames) {
        if (frames > 0) {
            counters.rxFrames.addAndGet(-frames);
            counters.rxDropped.addAndGet(frames);
        }
    }

    /** A frame {@link LoneHop} opened and wrote to the port itself: counted as {@link #deliver} counts one. */
    void deliveredByHop(int n, boolean unicastFrame) {
        deliveredByHop(1, n, unicastFrame ? 1 : 0);
    }

    /** Frames {@link LoneHop} opened and wrote to the port itself within one call, {@code bytes} in all. */
    void deliveredByHop(int frames, long bytes, int unicastFrames) {
        if (frames > 0) {
            counters.rxAccepted.addAndGet(frames);
            liveness.heard(System.nanoTime());
            counters.hopFrames.addAndGet(frames);
            counters.rxFrames.addAndGet(frames);
            counters.rxBytes.addAndGet(bytes);
            unicast += unicastFrames;
        }
    }

    /** An authentic frame {@link LoneHop} could not write: no room (a drop), or the write failed. */
    void undeliveredByHop(boolean full) {
        onAccepted.run();
        (full ? counters.rxDropped : counters.rxBadMessage).incrementAndGet();
    }

    /**
     * An authentic message {@link LoneHop} opened but left to this path (keepalive, fragment,
     * close): handled as if received here. False once this direction must end.
     */
    boolean openedByHop(LoneHop hop, long result) {
        int n = hop.copyMessage(result, buf, 0);
        onAccepted.run();
        dispatch(n);
        return !stopping;
    }

    /** Unicast frames delivered so far (the receiving thread only). */
    long unicastFrames() {
        return unicast;
    }

    public void stop() {
        stopping = true;
    }
}
