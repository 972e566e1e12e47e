package org.symphonet.tunnel.dtls;

/**
 * DTLS anti-replay (RFC 6347 4.1.2.6) for one epoch: a record is fresh if its sequence number is
 * above the highest seen, or within the 64 below it and not seen yet. Checked before the record is
 * opened (cheap refusal), marked only once it proved authentic (a forged number must not move
 * the window). Single-threaded: the receiving thread's.
 */
final class ReplayWindow {
    static final int SIZE = 64;

    /** Highest sequence number accepted, -1 before the first. */
    private long highest = -1;
    /** Bit i: {@code highest - i} was accepted. */
    private long seen;

    boolean fresh(long seq) {
        if (seq > highest) {
            return true;
        }
        long behind = highest - seq;
        return behind < SIZE && (seen & (1L << behind)) == 0;
    }

    void mark(long seq) {
        if (seq > highest) {
            long shift = highest < 0 ? SIZE : seq - highest;
            seen = shift >= SIZE ? 1 : (seen << shift) | 1;
            highest = seq;
        } else {
            seen |= 1L << (highest - seq);
        }
    }

    long highest() {
        return highest;
    }

    long seen() {
        return seen;
    }

    /** Takes over the state another checker (the lone-frame hop's native code) left. */
    void restore(long highestAccepted, long seenBits) {
        this.highest = highestAccepted;
        this.seen = seenBits;
    }
}
