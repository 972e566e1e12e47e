package org.symphonet.tunnel.datapath;

import java.io.IOException;

import org.symphonet.tunnel.TunnelCounters;
import org.symphonet.tunnel.dtls.BatchingPath;
import org.symphonet.tunnel.dtls.LoneHop;
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
 *
 * <p>On a TAP, every wait is a {@link LoneHop} where it can run: the native call that waits also
 * carries the frame or record that ends the wait, if it is a plain one, and the loop only counts
 * it. What the hop hands back (two sources ready, a frame to fragment or clamp, anything but one
 * record of the session) goes through the turn as before.
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
    /**
     * How long the hop waits on, blocked, after it carried an answer, before the loop counts what
     * it carried, in µs (0: the hop returns after each frame); see {@link LoneHop.Linger}. Long
     * enough that the round trip through this host is over (the counting then delays nobody),
     * short enough that counters and liveness lag by no more.
     */
    static final long HOP_LINGER_MICROS = Long.getLong("symphonet.tunnel.hopLingerMicros", 1000);
    /** A frame within this of one the other way is its answer (a round trip through this host or a LAN). */
    private static final long ANSWER_NANOS = 2_000_000;
    /**
     * How long the hop waits on, blocked, after it carried a request, in µs (0: a look for the
     * answer, then the loop's own wait, {@link AnswerWait}).
     */
    static final long HOP_REQUEST_MICROS = Long.getLong("symphonet.tunnel.hopRequestMicros", 0);
    static final LoneHop.Linger LINGER = HOP_LINGER_MICROS > 0
            ? new LoneHop.Linger(HOP_LINGER_MICROS * 1000, ANSWER_NANOS, TapToPeer.IDLE_NANOS, HOP_REQUEST_MICROS * 1000)
            : LoneHop.Linger.OFF;
    /**
     * Receive moderation in µs (0: off): after a batch of records that carried bulk TCP, the socket
     * rests this long while the TAP alone is watched, so the next batch is larger; see
     * {@link ReceiveModeration}. Longer than a batch's own work, short against a TCP round trip.
     */
    static final long RX_MODERATION_MICROS = Long.getLong("symphonet.tunnel.rxModerationMicros", 50);
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
    private final ReceiveModeration moderation = new ReceiveModeration(RX_MODERATION_MICROS * 1000);
    /** The native wait-and-carry, or null: poll(2) and the Java path for everything. */
    private final LoneHop hop;
    /** Whether the next hop reads the TAP before waiting (a frame was just written to it). */
    private boolean hopTapFirst;
    /** Set when a message the hop handed over ended the tunnel (the peer's close). */
    private boolean ended;
    /** When records last came in ({@link System#nanoTime}): the hop leaves a burst's to the batched turn. */
    private long lastRecordNanos;
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
               TunnelCounters counters, LoneHop hop) {
        this.outbound = outbound;
        this.inbound = inbound;
        this.port = port;
        this.path = path;
        this.batching = batching;
        this.counters = counters;
        this.hop = hop;
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
            long joinedBefore = inbound.joinedFrames();
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
            // The frames held to join go out before anything else can reach the port (the hop).
            inbound.flushJoined();
            if (records > 0) {
                // Keepalive answers sent from this thread are batched too.
                flush();
                lastRecordNanos = System.nanoTime();
            }
            moderation.afterBatch(records, BUDGET, inbound.joinedFrames() - joinedBefore, lastRecordNanos);
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
        long rest = moderation.restNanos(System.nanoTime());
        if (rest > 0) {
            return moderate(rest);
        }
        // Also under steady inbound traffic, which may never leave a wait quiet.
        port.quiet();
        if (awaitAnswer()) {
            return !ended;
        }
        long ahead = answer.untilSpin(System.nanoTime());
        if (ahead > 0) {
            // An answer is expected later: sleep until shortly before it, then spin. A frame
            // that comes earlier wakes the wait as any would.
            await(ahead);
            return !ended;
        }
        long sleep = System.nanoTime();
        boolean ready = await(-1);
        answer.slept(System.nanoTime() - sleep);
        if (!ready) {
            // Timed out (or a signal): a full turn, which also notices a stop.
            spurious = 0;
            tap = true;
            socket = true;
        }
        return !ended;
    }

    /**
     * Bulk is coming in and the socket rests ({@link ReceiveModeration}): waits up to {@code rest}
     * for the TAP alone, so what the last write produced (an ACK, an answer) still goes out at
     * once; the socket is read when the rest is over. Not the hop: it would wake on the socket.
     */
    private boolean moderate(long rest) {
        // A TAP that keeps reporting ready with nothing to read counts as spurious, as after await.
        woke = poll.awaitFirstNanos(rest);
        tap = woke;
        socket = !woke;
        return true;
    }

    /** Polls without blocking while an answer is due; true as soon as something is ready. */
    private boolean awaitAnswer() {
        while (answer.stayAwake(System.nanoTime())) {
            if (await(0)) {
                return true;
            }
            // Whatever else is runnable (the peer's process, OVS, the application) goes first.
            Thread.yield();
        }
        return false;
    }

    /**
     * Waits up to {@code nanos} (0: a look; negative: {@link #WAIT_MILLIS}) for either source, or
     * lets the hop wait and carry. True when the wait ended for a reason; {@link #tap} and
     * {@link #socket} then say what the next turn reads, {@link #woke} whether it must find work.
     */
    private boolean await(long nanos) {
        if (hop != null) {
            return hop(nanos < 0 ? WAIT_MILLIS * 1_000_000L : nanos);
        }
        boolean ready = nanos == 0 ? poll.await(0) : nanos < 0 ? poll.await(WAIT_MILLIS) : poll.awaitNanos(nanos);
        woke = ready;
        tap = ready && poll.firstReady();
        socket = ready && poll.secondReady();
        return ready;
    }

    /** One {@link LoneHop}: what it carried is counted here; what it handed back, the next turn reads. */
    private boolean hop(long nanos) {
        long result;
        try {
            result = hop.run(nanos, hopTapFirst, outbound.lastFrameNanos() + TapToPeer.IDLE_NANOS,
                    lastRecordNanos + TapToPeer.IDLE_NANOS);
        } catch (IOException e) {
            // Closed under us (a stop) or sequence numbers used up: a full turn meets it the Java way.
            result = -1;
        }
        hopTapFirst = false;
        woke = false;
        tap = false;
        socket = false;
        long sent = outbound.unicastFrames();
        long delivered = inbound.unicastFrames();
        boolean tallied = hop.tallied();
        if (tallied) {
            // What the hop carried before its result, counted at once.
            long at = hop.lastCarriedNanos();
            outbound.sentByHop(hop.sentTally(), hop.sentBytesTally(), hop.sentUnicastTally(), at);
            inbound.deliveredByHop(hop.deliveredTally(), hop.deliveredBytesTally(), hop.deliveredUnicastTally());
            if (hop.deliveredTally() > 0) {
                lastRecordNanos = at;
            }
        }
        if (result < 0) {
            afterTally(tallied, sent, delivered);
            woke = true;
            tap = true;
            socket = true;
            return true;
        }
        int code = LoneHop.code(result);
        int length = LoneHop.length(result);
        boolean unicast = LoneHop.unicast(result);
        switch (code) {
            case LoneHop.NOTHING -> {
                return false;
            }
            case LoneHop.READY -> {
                woke = true;
                tap = (length & 1) != 0;
                socket = (length & 2) != 0;
                afterTally(tallied, sent, delivered);
                return true;
            }
            case LoneHop.DATAGRAM -> {
                hop.adoptDatagram();
                woke = true;
                socket = true;
                afterTally(tallied, sent, delivered);
                return true;
            }
            case LoneHop.CARRIED -> {
                // Counted above; what it carried is all.
            }
            case LoneHop.SENT -> outbound.sentByHop(length, unicast);
            case LoneHop.SEND_FAILED -> outbound.droppedByHop();
            case LoneHop.TAP_FRAME -> {
                outbound.forwardFromHop(hop, result);
                flush();
                // More may be queued behind it: the next turn reads the TAP the Java way.
                tap = true;
            }
            case LoneHop.DELIVERED -> {
                inbound.deliveredByHop(length, unicast);
                hopTapFirst = rereadAfterWrite && !LoneHop.portEmpty(result);
            }
            case LoneHop.DELIVERED_SENT -> {
                inbound.deliveredByHop(length, unicast);
                outbound.sentByHop(LoneHop.secondLength(result), LoneHop.secondUnicast(result));
            }
            case LoneHop.DELIVERED_TAP_FRAME -> {
                inbound.deliveredByHop(length, unicast);
                outbound.forwardFromHop(hop, result);
                flush();
                tap = true;
            }
            case LoneHop.DELIVERED_SEND_FAILED -> {
                inbound.deliveredByHop(length, unicast);
                outbound.droppedByHop();
            }
            case LoneHop.TAP_FULL, LoneHop.WRITE_FAILED -> inbound.undeliveredByHop(code == LoneHop.TAP_FULL);
            case LoneHop.OPENED -> {
                ended = !inbound.openedByHop(hop, result);
                inbound.flushJoined();
                // A keepalive's answer is batched like any send of this thread.
                flush();
            }
            default -> {
                // REJECTED: a replay or forgery, counted as offered and not accepted.
            }
        }
        long now = code == LoneHop.CARRIED ? hop.lastCarriedNanos() : System.nanoTime();
        if (code >= LoneHop.DELIVERED && code != LoneHop.SEND_FAILED && code != LoneHop.DATAGRAM
                && code != LoneHop.CARRIED) {
            lastRecordNanos = now;
        }
        answer.turn(outbound.unicastFrames() - sent, inbound.unicastFrames() - delivered, now);
        spurious = 0;
        return true;
    }

    /** A hop result the next turn handles, after frames the hop carried: those are timed for {@link AnswerWait} now. */
    private void afterTally(boolean tallied, long sent, long delivered) {
        if (tallied) {
            answer.turn(outbound.unicastFrames() - sent, inbound.unicastFrames() - delivered, hop.lastCarriedNanos());
        }
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
