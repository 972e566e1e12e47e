package org.symphonet.tunnel.datapath;

/**
 * Decides when the tunnel's loop stays awake (polls without blocking) for a moment instead of
 * sleeping in poll(2): right after a lone unicast frame crossed the tunnel following a quiet
 * spell, until the frame that answers it comes back the other way, for at most a short window.
 *
 * <p>Why: on a virtual machine without guest halt-polling every wake-up of an idle vCPU goes
 * through the hypervisor and costs 60-120 µs, more than the whole work of one hop. A ping, an
 * SSH keystroke or an RPC leaves through the tunnel and its answer arrives a few hundred µs
 * later; a thread that is still awake then handles it at once. Bulk traffic never starts a
 * window (the loop never slept long before it), an idle tunnel never does (keepalives are not
 * frames), a broadcast does not (its answers, if any, come later and from elsewhere). Traffic
 * whose windows keep running out unanswered (one-way streams) stops opening windows until one is
 * answered in time again, so a lone sender does not burn a core waiting for nothing.
 *
 * <p>Not thread-safe: the loop's thread only. Times are {@link System#nanoTime()} values.
 */
final class AnswerWait {
    /** The loop slept at least this long before: the frames that woke it are sparse traffic. */
    static final long QUIET_NANOS = 1_000_000;
    /** Windows that ran out unanswered in a row, after which no window is spent. */
    static final int MISS_LIMIT = 3;

    private enum Expect { NONE, INBOUND, OUTBOUND }

    private final long windowNanos;
    private Expect expect = Expect.NONE;
    private long deadline;
    private int misses;
    private boolean afterQuiet;

    /** @param windowNanos how long to stay awake for an answer; 0 never does */
    AnswerWait(long windowNanos) {
        this.windowNanos = windowNanos;
    }

    /** The loop is about to sleep in poll(2) (or just slept {@code sleptNanos}). */
    void slept(long sleptNanos) {
        afterQuiet = sleptNanos >= QUIET_NANOS;
    }

    /**
     * After each turn of the loop: unicast frames it forwarded toward the peer and delivered to
     * the local port.
     */
    void turn(long outbound, long inbound, long now) {
        if (expect != Expect.NONE) {
            boolean answered = expect == Expect.INBOUND ? inbound > 0 : outbound > 0;
            if (answered) {
                // Late answers (the window ran out before) do not count as hits.
                if (now - deadline <= 0) {
                    misses = 0;
                }
                expect = Expect.NONE;
            } else if (now - deadline > 0) {
                missed();
            }
        }
        if (afterQuiet && expect == Expect.NONE && (outbound > 0) != (inbound > 0)) {
            // One direction only: a request whose answer is still to come. Both at once means
            // the round trip already happened within the turn (the kernel answered the write).
            expect = outbound > 0 ? Expect.INBOUND : Expect.OUTBOUND;
            deadline = now + windowNanos;
        }
        if (outbound > 0 || inbound > 0) {
            afterQuiet = false;
        }
    }

    /** Whether the loop should poll without blocking now, rather than sleep. */
    boolean stayAwake(long now) {
        if (expect == Expect.NONE || windowNanos <= 0) {
            return false;
        }
        if (now - deadline > 0) {
            missed();
            return false;
        }
        return misses < MISS_LIMIT;
    }

    private void missed() {
        expect = Expect.NONE;
        if (misses < MISS_LIMIT) {
            misses++;
        }
    }
}
