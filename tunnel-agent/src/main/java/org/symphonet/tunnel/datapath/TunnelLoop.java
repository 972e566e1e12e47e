package org.symphonet.tunnel.datapath;

import java.io.IOException;

import org.symphonet.tunnel.TunnelCounters;
import org.symphonet.tunnel.dtls.BatchingPath;
import org.symphonet.tunnel.dtls.PolledPath;
import org.symphonet.tunnel.tap.PollSet;
import org.symphonet.tunnel.tap.PolledPort;

/**
 * Both directions of one tunnel on one thread, waiting on the TAP and the socket together.
 *
 * <p>Why one thread and not one per direction: a frame written to the TAP is often answered
 * within the write itself (the kernel runs the receiving stack right there, so a ping's echo is
 * queued on the TAP before the write returns). The thread that wrote it finds the answer on its
 * next turn, with no wake-up of another thread; on a busy two-core host each such wake-up costs
 * tens of microseconds and sometimes a whole scheduler slice. It also halves the threads a node
 * runs per link.
 *
 * <p>Each turn forwards what the TAP holds, flushes, then handles what the socket holds (each up
 * to a budget, so neither direction starves the other), and only when both were empty waits in
 * poll(2). Nothing is held back waiting for more: batching merges only what was ready together.
 * A turn reads only the descriptors that can hold something: after a wait those poll(2) reported,
 * and the TAP again right after frames were written to it. Every system call on an empty
 * descriptor is a few microseconds on each hop of every packet.
 *
 * <p>After a lone frame following a quiet spell, the loop stays awake a short while for the
 * answer instead of sleeping ({@link AnswerWait}): it polls without blocking, yielding the CPU
 * to anything runnable between polls. A wake-up from poll(2) costs more on a VM than the hop.
 */
final class TunnelLoop implements Runnable {
    /** Frames or records per direction per turn: enough to batch, small enough to stay fair. */
    private static final int BUDGET = 64;
    /**
     * Only housekeeping needs the timeout: closing the socket on stop wakes the wait at once, and
     * the peer's keepalives wake an idle tunnel anyway. Each timeout is a wake-up of every idle
     * tunnel's thread (500 ms made two thirds of an idle tunnel's wake-ups).
     */
    private static final int WAIT_MILLIS = 2_000;
    /** A wake-up with nothing to do; a few in a row mean a descriptor stuck in an error state. */
    private static final int SPURIOUS_LIMIT = 8;
    private static final long SPURIOUS_PAUSE_MILLIS = 10;
    /**
     * How long the loop stays awake for an answer, in µs (0: never). Long enough for a round
     * trip through the peer and its bridge on a loaded 2-core host; see {@link AnswerWait}.
     */
    static final long ANSWER_WAIT_MICROS = Long.getLong("symphonet.tunnel.answerWaitMicros", 1000);
    /**
     * How far ahead of the expected answer the loop wakes to spin for it, in µs (0: spins from the
     * request on); see {@link AnswerWait}. Covers a timer wake-up on a VM (60-120 µs) and jitter.
     */
    static final long ANSWER_LEAD_MICROS = Long.getLong("symphonet.tunnel.answerLeadMicros", 250);
    /** Timer slack of the loop's thread: its ppoll(2) before a spin ends this close to its time. */
    private static final long TIMER_SLACK_NANOS = 5_000;

    private final TapToPeer outbound;
    private final PeerToTap inbound;
    private final PolledPort port;
    private final PolledPath path;
    private final BatchingPath batching;
    private final TunnelCounters counters;
    private final PollSet poll;
    /** Whether the port can hold an answer right after a write to it ({@link PolledPort#answersWithinWrite}). */
    private final boolean rereadAfterWrite;
    private final AnswerWait answer;
    /** Turns in a row that woke up with nothing to do. */
    private int spurious;
    /** Whether the last wait ended because a descriptor was ready. */
    private boolean woke;
    /**
     * What the next turn looks at: after a wait only what poll(2) found ready, so a wake-up
     * costs no system call on the idle side (a ping's hop: 4 calls where it took 7).
     */
    private boolean tap = true;
    private boolean socket = true;

    TunnelLoop(TapToPeer outbound, PeerToTap inbound, PolledPort port, PolledPath path, BatchingPath batching,
               TunnelCounters counters) {
        this.outbound = outbound;
        this.inbound = inbound;
        this.port = port;
        this.path = path;
        this.batching = batching;
        this.counters = counters;
        this.poll = new PollSet(port.descriptor(), path.descriptor());
        this.rereadAfterWrite = port.answersWithinWrite();
        // Behind a packet socket OVS answers, on this host's CPUs: the loop sleeps meanwhile.
        this.answer = new AnswerWait(ANSWER_WAIT_MICROS * 1000, ANSWER_LEAD_MICROS * 1000, rereadAfterWrite);
    }

    @Override
    public void run() {
        if (ANSWER_WAIT_MICROS > 0 && ANSWER_LEAD_MICROS > 0) {
            PollSet.tightTimers(TIMER_SLACK_NANOS);
        }
        while (turn()) {
            // One turn per call: see turn().
        }
    }

    /**
     * One turn: forward what is ready, then wait (or not) for the next. False once the loop must
     * end.
     *
     * <p>Why a method of its own and not the body of {@link #run}'s loop: a method that is entered
     * once and loops forever is compiled only on-stack (OSR), after tens of thousands of its loop's
     * back edges (C1 alone: Tier3BackEdgeThreshold, 60,000, times a node's CompileThresholdScaling
     * of 5), and after a deoptimization it falls back to the interpreter until that many again.
     * Sparse traffic makes a few turns per packet, so the loop ran interpreted (or, with C2 after a
     * bulk transfer's code was deoptimized by the first ping, in C1's profiling tier) for good: a
     * perf profile of a tunnel thread carrying pings after iperf3 found 15% of its samples in the
     * interpreter. A method called once per turn is compiled after its invocation count, as any.
     */
    private boolean turn() {
        long sent = outbound.unicastFrames();
        long delivered = inbound.unicastFrames();
        int frames = 0;
        if (tap) {
            frames = outbound.pumpNow(port, BUDGET, batching);
            if (frames < 0) {
                return false;
            }
            flush();
        }
        int records = 0;
        if (socket) {
            try {
                // Past the first record, the kernel is asked again only behind a full batch.
                while (records < BUDGET && (records == 0 ? path.readyNow() : path.readyBuffered())) {
                    if (!inbound.receiveOnce(1)) {
                        return false;
                    }
                    records++;
                }
            } catch (IOException e) {
                // As a failed receive: the same handling, by the same code.
                if (!inbound.receiveOnce(1)) {
                    return false;
                }
            }
            if (records > 0) {
                // Keepalive answers sent from this thread are batched too.
                flush();
            }
        }
        if (frames > 0 || records > 0) {
            answer.turn(outbound.unicastFrames() - sent, inbound.unicastFrames() - delivered, System.nanoTime());
            spurious = 0;
        } else if (woke && ++spurious > SPURIOUS_LIMIT) {
            pause();
        }
        woke = false;
        // Another turn at once only where more may already wait: a full turn when either
        // source filled its budget (the other must not starve), else the TAP alone after
        // frames were written to it (the kernel often queues the answer within the write
        // itself; not behind a packet socket, where OVS answers later). Otherwise both were
        // read empty: wait. poll(2) is level-triggered, so whatever came in since is seen at
        // once.
        boolean full = frames == BUDGET || records == BUDGET;
        tap = full || (records > 0 && rereadAfterWrite);
        socket = full;
        if (tap || socket) {
            return true;
        }
        // Also under steady inbound traffic, which may never leave a wait quiet.
        port.quiet();
        if (awaitAnswer()) {
            woke = true;
            tap = poll.firstReady();
            socket = poll.secondReady();
            return true;
        }
        long ahead = answer.untilSpin(System.nanoTime());
        if (ahead > 0) {
            // An answer is expected later: sleep until shortly before it, then spin. A frame
            // that comes earlier wakes the wait as any would.
            woke = poll.awaitNanos(ahead);
            tap = woke && poll.firstReady();
            socket = woke && poll.secondReady();
            return true;
        }
        long sleep = System.nanoTime();
        woke = poll.await(WAIT_MILLIS);
        answer.slept(System.nanoTime() - sleep);
        if (woke) {
            tap = poll.firstReady();
            socket = poll.secondReady();
        } else {
            // Timed out (or a signal): a full turn, which also notices a stop.
            spurious = 0;
            tap = true;
            socket = true;
        }
        return true;
    }

    /** Polls without blocking while an answer is due; true as soon as something is ready. */
    private boolean awaitAnswer() {
        while (answer.stayAwake(System.nanoTime())) {
            if (poll.await(0)) {
                return true;
            }
            // Whatever else is runnable (the peer's process, OVS, the application) goes first.
            Thread.yield();
        }
        return false;
    }

    private void flush() {
        try {
            batching.flush();
        } catch (IOException e) {
            counters.txDropped.incrementAndGet();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(SPURIOUS_PAUSE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
