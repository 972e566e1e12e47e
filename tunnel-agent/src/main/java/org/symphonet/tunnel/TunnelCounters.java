package org.symphonet.tunnel;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Live counters of one tunnel. Each counter has one writer thread (the direction
 * that owns it), so plain atomic increments are cheap and uncontended; readers
 * take a {@link Snapshot}.
 */
public final class TunnelCounters {
    public final AtomicLong txFrames = new AtomicLong();
    public final AtomicLong txBytes = new AtomicLong();
    public final AtomicLong txFragments = new AtomicLong();
    public final AtomicLong txDropped = new AtomicLong();
    /** TCP SYNs whose MSS was lowered so the connection's segments fit one record. */
    public final AtomicLong txMssClamped = new AtomicLong();
    public final AtomicLong rxFrames = new AtomicLong();
    public final AtomicLong rxBytes = new AtomicLong();
    public final AtomicLong rxFragments = new AtomicLong();
    public final AtomicLong rxReassemblyDropped = new AtomicLong();
    /** Frames the TAP refused (its queue was full). */
    public final AtomicLong rxDropped = new AtomicLong();
    /** Datagrams that are not a well-formed DTLS record: garbage, truncated. */
    public final AtomicLong rxMalformed = new AtomicLong();
    /** Datagrams from an address that is not the peer's. */
    public final AtomicLong rxForeign = new AtomicLong();
    /**
     * Well-formed records handed to DTLS and records DTLS accepted, since the data
     * path started; their difference is what DTLS refused (replayed, bad MAC, stale
     * epoch) plus unprotected epoch-0 handshake records (a flood of ClientHellos). Kept as two counters so the figure is current at any moment, not only
     * when the receive loop comes up for air.
     */
    public final AtomicLong rxOffered = new AtomicLong();
    public final AtomicLong rxAccepted = new AtomicLong();
    /** Authenticated records whose inner tunnel message is malformed. */
    public final AtomicLong rxBadMessage = new AtomicLong();
    public final AtomicLong handshakeFailures = new AtomicLong();
    public final AtomicLong keepalivesSent = new AtomicLong();
    public final AtomicLong keepalivesAnswered = new AtomicLong();
    /** Smoothed round-trip time in microseconds; -1 until the first answer. */
    public final AtomicLong rttMicros = new AtomicLong(-1);
    /**
     * Frames (both ways) the native lone-frame hop carried ({@code dtls.LoneHop}); the rest of
     * txFrames and rxFrames went through the Java path.
     */
    public final AtomicLong hopFrames = new AtomicLong();
    /**
     * Frames written to the port joined with others into one TCP superframe ({@code tap.SegmentJoiner});
     * part of rxFrames.
     */
    public final AtomicLong rxJoined = new AtomicLong();
    /**
     * Reads from the port that needed {@code tap.SegmentSplitter}: a TCP superframe (TSO) cut into
     * frames, or a frame whose checksum was left to us (checksum offload) completed.
     */
    public final AtomicLong txSuperframes = new AtomicLong();

    public Snapshot snapshot() {
        return new Snapshot(txFrames.get(), txBytes.get(), txFragments.get(), txDropped.get(),
                txMssClamped.get(), rxFrames.get(), rxBytes.get(), rxFragments.get(), rxReassemblyDropped.get(), rxDropped.get(),
                rxMalformed.get(), rxForeign.get(), Math.max(0, rxOffered.get() - rxAccepted.get()), rxBadMessage.get(),
                handshakeFailures.get(), keepalivesSent.get(), keepalivesAnswered.get(), rttMicros.get(),
                hopFrames.get(), rxJoined.get(), txSuperframes.get());
    }

    /** Immutable copy for events and status output. */
    public record Snapshot(long txFrames, long txBytes, long txFragments, long txDropped,
                           long txMssClamped, long rxFrames, long rxBytes, long rxFragments, long rxReassemblyDropped, long rxDropped,
                           long rxMalformed, long rxForeign, long rxRejected, long rxBadMessage,
                           long handshakeFailures, long keepalivesSent, long keepalivesAnswered,
                           long rttMicros, long hopFrames, long rxJoined, long txSuperframes) {
    }
}
