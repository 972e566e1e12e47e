package org.symphonet.tunnel.datapath;

import java.io.IOException;

import org.bouncycastle.tls.DatagramSender;
import org.symphonet.tunnel.DownReason;
import org.symphonet.tunnel.TunnelCounters;
import org.symphonet.tunnel.dtls.BatchingPath;
import org.symphonet.tunnel.dtls.LoneHop;
import org.symphonet.tunnel.fragment.Fragmenter;
import org.symphonet.tunnel.fragment.MessageType;
import org.symphonet.tunnel.fragment.RecordSink;
import org.symphonet.tunnel.tap.FramePort;
import org.symphonet.tunnel.tap.PolledPort;
import org.symphonet.tunnel.tap.TapDevice;

/**
 * Outbound direction (its own thread, or a turn of {@link TunnelLoop}): frame from the TAP,
 * one DTLS record out (or a few, if it must be fragmented). The frame is read one byte into
 * the buffer so the type byte goes in front without a copy; the buffer lives as long as this.
 */
public final class TapToPeer implements Runnable {
    private final FramePort port;
    private final RecordSink records;
    private final Fragmenter fragmenter;
    private final MssClamp clamp;
    private final TunnelCounters counters;
    private final FailureHandler failure;
    private final FramePort.IdleHook flush;
    private final byte[] buf = new byte[1 + TapDevice.MAX_FRAME];
    private volatile boolean stopping;
    /** A frame after this long without one is sent on its own, at once (see {@link #pumpNow}). */
    static final long IDLE_NANOS = 200_000;
    private long lastFrameNanos;
    /** {@link PolledPort#superframesRead} when last copied to the counters. */
    private long superframesBefore;
    /** Unicast frames forwarded; read by the loop thread that forwards them (see {@link AnswerWait}). */
    private long unicast;

    /**
     * @param clamp lowers the MSS of outgoing TCP SYNs, or null to leave frames untouched
     * @param flush sends what the path batched; run whenever the TAP has nothing more to read
     */
    public TapToPeer(FramePort port, DatagramSender dtls, Fragmenter fragmenter, MssClamp clamp,
                     TunnelCounters counters, FailureHandler failure, FramePort.IdleHook flush) {
        this.port = port;
        this.flush = () -> {
            try {
                flush.idle();
            } catch (IOException e) {
                counters.txDropped.incrementAndGet();
            }
        };
        this.records = dtls::send;
        this.fragmenter = fragmenter;
        this.clamp = clamp;
        this.counters = counters;
        this.failure = failure;
    }

    @Override
    public void run() {
        try {
            while (!stopping) {
                int n = port.read(buf, 1, buf.length - 1, flush);
                if (n < 0) {
                    return;
                }
                if (n > 0) {
                    forward(n);
                }
            }
        } catch (IOException e) {
            if (!stopping) {
                failure.failed(DownReason.IO_ERROR, "TAP read failed: " + e.getMessage());
            }
        }
    }

    /**
     * Forwards what the port holds right now, up to {@code budget} frames, without waiting.
     * Returns the count, or -1 once this direction must end (stopped, or a failure reported).
     * After a quiet spell the first frame goes out at once, before the read that finds the port
     * empty: a lone frame (a ping, a keystroke) does not wait for that system call. Under load
     * (frames less than {@link #IDLE_NANOS} apart) it is batched with the rest, which the caller
     * flushes.
     */
    int pumpNow(PolledPort from, int budget, BatchingPath path) {
        int frames = 0;
        try {
            while (frames < budget) {
                int n = from.readNow(buf, 1, buf.length - 1);
                if (n < 0) {
                    return -1;
                }
                if (n == 0) {
                    break;
                }
                forward(n);
                frames++;
                if (frames == 1) {
                    long now = System.nanoTime();
                    if (now - lastFrameNanos > IDLE_NANOS) {
                        flushQuietly(path);
                    }
                    lastFrameNanos = now;
                }
            }
        } catch (IOException e) {
            if (!stopping) {
                failure.failed(DownReason.IO_ERROR, "TAP read failed: " + e.getMessage());
            }
            return -1;
        }
        long superframes = from.superframesRead();
        if (superframes != superframesBefore) {
            superframesBefore = superframes;
            counters.txSuperframes.set(superframes);
        }
        return stopping ? -1 : frames;
    }

    private void flushQuietly(BatchingPath path) {
        try {
            path.flush();
        } catch (IOException e) {
            counters.txDropped.incrementAndGet();
        }
    }

    private void forward(int n) {
        if (clamp != null && clamp.apply(buf, 1, n)) {
            counters.txMssClamped.incrementAndGet();
        }
        try {
            if (fragmenter.fitsWhole(n)) {
                buf[0] = MessageType.FRAME;
                records.send(buf, 0, n + 1);
            } else {
                int parts = fragmenter.send(buf, 1, n, records);
                if (parts == 0) {
                    counters.txDropped.incrementAndGet();
                    return;
                }
                counters.txFragments.addAndGet(parts);
            }
            counters.txFrames.incrementAndGet();
            counters.txBytes.addAndGet(n);
            if ((buf[1] & 1) == 0) {
                unicast++;
            }
        } catch (IOException e) {
            // A full socket buffer or a transient route error loses this frame only;
            // a dead peer is the liveness timer's call, not the sender's.
            counters.txDropped.incrementAndGet();
        }
    }

    /** A frame {@link LoneHop} sealed and sent itself: counted as {@link #forward} counts one. */
    void sentByHop(int n, boolean unicastFrame) {
        sentByHop(1, n, unicastFrame ? 1 : 0, System.nanoTime());
    }

    /**
     * Frames {@link LoneHop} sealed and sent itself within one call, {@code bytes} in all, the
     * last at {@code at} ({@link System#nanoTime}): counted as {@link #forward} counts them.
     */
    void sentByHop(int frames, long bytes, int unicastFrames, long at) {
        if (frames > 0) {
            counters.hopFrames.addAndGet(frames);
            counters.txFrames.addAndGet(frames);
            counters.txBytes.addAndGet(bytes);
            unicast += unicastFrames;
            lastFrameNanos = at;
        }
    }

    /** A frame {@link LoneHop} sealed but the socket refused: lost, as in {@link #forward}. */
    void droppedByHop() {
        counters.txDropped.incrementAndGet();
        lastFrameNanos = System.nanoTime();
    }

    /** A frame {@link LoneHop} read and left to this path (to fragment or clamp): forwarded as read here. */
    void forwardFromHop(LoneHop hop, long result) {
        lastFrameNanos = System.nanoTime();
        if (LoneHop.withHeader(result) && port instanceof PolledPort polled && polled.adoptBuffer() != null) {
            // A superframe (or a checksum to complete): the port's next reads hand out its frames.
            polled.adopt(hop.copyTapFrameWithHeader(polled.adoptBuffer()));
            return;
        }
        forward(hop.copyTapFrame(result, buf, 1));
    }

    /** When the last frame (or burst) was taken from the port, as {@link System#nanoTime}. */
    long lastFrameNanos() {
        return lastFrameNanos;
    }

    /** Unicast frames forwarded so far (the forwarding thread only). */
    long unicastFrames() {
        return unicast;
    }

    public void stop() {
        stopping = true;
        port.stopReading();
    }
}
