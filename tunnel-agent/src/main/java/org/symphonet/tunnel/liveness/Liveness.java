package org.symphonet.tunnel.liveness;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Keepalive bookkeeping for one tunnel: when something authenticated was last
 * heard, and the smoothed RTT from keepalive answers.
 *
 * <p>Keepalive body (after the type byte): u32 sequence, u64 sender
 * {@link System#nanoTime()}. The answer echoes the body, so RTT needs no state
 * per outstanding probe and no clock agreement between the hosts.
 */
public final class Liveness {
    public static final int MESSAGE_LENGTH = 13;

    private final long deadNanos;
    private final AtomicLong rttMicros;
    private volatile long lastHeardNanos;
    private int sequence;

    public Liveness(long deadNanos, AtomicLong rttMicrosCounter, long nowNanos) {
        this.deadNanos = deadNanos;
        this.rttMicros = rttMicrosCounter;
        this.lastHeardNanos = nowNanos;
    }

    /** Receive thread: any authenticated record proves the peer alive. */
    public void heard(long nowNanos) {
        lastHeardNanos = nowNanos;
    }

    public boolean isDead(long nowNanos) {
        return nowNanos - lastHeardNanos > deadNanos;
    }

    /** Whether anything authenticated arrived at or after {@code sinceNanos}. */
    public boolean heardSince(long sinceNanos) {
        return lastHeardNanos - sinceNanos >= 0;
    }

    public long silentNanos(long nowNanos) {
        return nowNanos - lastHeardNanos;
    }

    /** Timer thread: fills {@code buf} with a keepalive request; returns its length. */
    public int writeProbe(byte[] buf, long nowNanos, byte type) {
        buf[0] = type;
        writeInt(buf, 1, ++sequence);
        writeLong(buf, 5, nowNanos);
        return MESSAGE_LENGTH;
    }

    /** Receive thread: an answer to one of our probes arrived. Returns false if malformed. */
    public boolean answered(byte[] buf, int off, int len, long nowNanos) {
        if (len != MESSAGE_LENGTH) {
            return false;
        }
        long sent = readLong(buf, off + 5);
        long sample = (nowNanos - sent) / 1000;
        if (sample < 0 || sample > deadNanos / 1000) {
            return false;
        }
        long old = rttMicros.get();
        // RFC 6298-style smoothing: one slow answer does not make the link look slow.
        rttMicros.set(old < 0 ? sample : old - (old >> 3) + (sample >> 3));
        return true;
    }

    private static void writeInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    private static void writeLong(byte[] b, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }

    private static long readLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }
}
