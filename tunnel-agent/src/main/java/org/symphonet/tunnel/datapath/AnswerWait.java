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
 * <p>Waking ahead ({@code leadNanos} > 0): once a few answers were timed, the loop does not spin
 * from the moment the request left but sleeps until shortly before the answer is due (the
 * median of the recent answers' delays) and spins only around that moment. Why: behind a bridge
 * the answer takes most of a millisecond (two bridge hops, the far end, the leaf), and a loop
 * spinning all that time holds a CPU the frame's own way needs: on a 2-core host the far end's
 * bridge and tunnel then wait behind spinners (bench: leaf-to-leaf RTT above tinc's while the
 * tunnel alone was level). The timer's wake-up costs what an event's would, but it is paid while
 * the answer is still on its way.
 *
 * <p>Not thread-safe: the loop's thread only. Times are {@link System#nanoTime()} values.
 */
final class AnswerWait {
    /** The loop slept at least this long before: the frames that woke it are sparse traffic. */
    static final long QUIET_NANOS = 1_000_000;
    /** Windows that ran out unanswered in a row, after which no window is spent. */
    static final int MISS_LIMIT = 3;
    /** Answers timed before their delays are trusted to place the spin. */
    static final int MIN_SAMPLES = 3;
    /** Recent answer delays kept (a ring); their median is the expected delay. */
    static final int SAMPLES = 8;
    /** Answers later than this are not timed: not the round trip of a request-answer exchange. */
    static final long LONGEST_ANSWER_NANOS = 20_000_000;

    private enum Expect { NONE, INBOUND, OUTBOUND }

    private final long windowNanos;
    private final long leadNanos;
    private final boolean localAnswers;
    /** The answer the loop spins for (NONE: no spin due). */
    private Expect expect = Expect.NONE;
    /** The answer being timed: outlives a spin that ran out, so late answers are timed too. */
    private Expect timing = Expect.NONE;
    private long opened;
    private long start;
    private long deadline;
    private int misses;
    /**
     * 1 while the frames of the next turn follow a quiet spell (the loop slept at least
     * {@link #QUIET_NANOS}), else 0. A number set by arithmetic, not a boolean set in a branch:
     * see {@link #turn}.
     */
    private long afterQuiet;
    /** The recent answer delays in arrival order (a ring; {@code next} is the oldest once full). */
    private final long[] delays = new long[SAMPLES];
    /**
     * The same delays kept in ascending order, updated as each is recorded: the median is then a
     * load when a window opens. Why not sorted then: on the answering end a window opens right
     * after the request was written to the port, while the answer already waits there to be read,
     * so the sort ran on every ping's critical path (and, run once per ping, it stayed
     * interpreted for a long while: a perf profile after iperf3 found it among the interpreter's
     * samples). An answer is recorded after it went on its way.
     */
    private final long[] sorted = new long[SAMPLES];
    private int samples;
    private int next;

    /** Spins from the request on for up to {@code windowNanos} (0: never), without waking ahead. */
    AnswerWait(long windowNanos) {
        this(windowNanos, 0, true);
    }

    /**
     * @param windowNanos the longest spin for one answer; 0 never spins
     * @param leadNanos   how far ahead of the expected answer the spin starts (and how long past
     *                    it, at least, it lasts); 0 spins from the request on, as soon as it left
     * @param localAnswers whether to wait for the local side's answer to a frame that came in;
     *                    false where another process on this host (ovs-vswitchd) must run to
     *                    answer: spinning would hold the CPU it needs (a 2-core bench: the reply's
     *                    hop from OVS into the tunnel took 67-128 µs with the loop spinning, 48
     *                    with it asleep, as tinc's 37-43); answers from the peer are still awaited
     */
    AnswerWait(long windowNanos, long leadNanos, boolean localAnswers) {
        this.windowNanos = windowNanos;
        this.leadNanos = leadNanos;
        this.localAnswers = localAnswers;
    }

    /** The loop is about to sleep in poll(2) (or just slept {@code sleptNanos}). */
    void slept(long sleptNanos) {
        afterQuiet = (QUIET_NANOS - 1 - sleptNanos) >>> 63;
    }

    /**
     * After each turn of the loop: unicast frames it forwarded toward the peer and delivered to
     * the local port.
     */
    void turn(long outbound, long inbound, long now) {
        if (timing != Expect.NONE) {
            boolean answered = timing == Expect.INBOUND ? inbound > 0 : outbound > 0;
            if (answered) {
                // Late answers (the window ran out before) do not count as hits, but are timed.
                if (expect != Expect.NONE && now - deadline <= 0) {
                    misses = 0;
                }
                record(now - opened);
                timing = Expect.NONE;
                expect = Expect.NONE;
            } else if (expect != Expect.NONE && now - deadline > 0) {
                missed();
            }
        }
        if (afterQuiet != 0 && expect == Expect.NONE && (outbound > 0) != (inbound > 0) && (outbound > 0 || localAnswers)) {
            // One direction only: a request whose answer is still to come. Both at once means
            // the round trip already happened within the turn (the kernel answered the write).
            expect = outbound > 0 ? Expect.INBOUND : Expect.OUTBOUND;
            timing = expect;
            open(now);
        }
        // Frames either way end the quiet spell; a turn without (a keepalive) leaves it. Without a
        // branch (the counts are never negative: 1 only when both are 0): every turn of a transfer
        // carries frames, so C2 compiled the turn without them as an uncommon trap, and the first
        // keepalive after the transfer deoptimized the whole tunnel loop, which then ran
        // interpreted until the pings (LogCompilation, bench tunnel rtt-interleaved, 2026-12-07).
        afterQuiet &= ((outbound | inbound) - 1) >>> 63;
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
        return misses < MISS_LIMIT && now - start >= 0;
    }

    /**
     * How long the loop may sleep before it should spin for the expected answer: &gt; 0 while a
     * spin is due later (sleep at most that long, then ask {@link #stayAwake}), else 0 (no spin
     * ahead: sleep as long as it likes).
     */
    long untilSpin(long now) {
        boolean pending = expect != Expect.NONE && windowNanos > 0 && misses < MISS_LIMIT;
        return pending && now - start < 0 ? start - now : 0;
    }

    private void open(long now) {
        opened = now;
        start = now;
        deadline = now + windowNanos;
        if (leadNanos > 0 && samples >= MIN_SAMPLES) {
            long expected = expected();
            // Around the expected answer: at least the lead either side, a quarter of the delay
            // on a slow path (its jitter grows with it); never more than the window in all.
            long half = Math.max(leadNanos, expected / 4);
            start = now + Math.max(0, expected - half);
            deadline = Math.min(start + windowNanos, now + expected + half);
        }
    }

    private void record(long delay) {
        if (delay < 0 || delay > LONGEST_ANSWER_NANOS) {
            return;
        }
        int n = samples;
        if (n == SAMPLES) {
            // The oldest delay leaves the sorted copy too.
            int i = 0;
            while (sorted[i] != delays[next]) {
                i++;
            }
            System.arraycopy(sorted, i + 1, sorted, i, n - 1 - i);
            n--;
        }
        int j = n;
        while (j > 0 && sorted[j - 1] > delay) {
            sorted[j] = sorted[j - 1];
            j--;
        }
        sorted[j] = delay;
        delays[next] = delay;
        next = (next + 1) % SAMPLES;
        samples = n + 1;
    }

    /** Median of the recent answer delays (package-private for tests). */
    long expected() {
        return sorted[samples / 2];
    }

    private void missed() {
        expect = Expect.NONE;
        if (misses < MISS_LIMIT) {
            misses++;
        }
    }
}
