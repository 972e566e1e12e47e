package org.symphonet.tunnel.datapath;

/**
 * Receive moderation, what a NIC's interrupt coalescing ({@code rx-usecs}) does for its driver:
 * after a batch of records that carried bulk TCP (segments joined into one superframe for the
 * TAP), the loop reads the socket again only after a short delay, and meanwhile watches the TAP
 * alone. The datagrams that come in meanwhile wait in the socket and are taken in the next batch.
 *
 * <p>Why: under a bulk stream the receiving loop woke for every few datagrams (a profile of the
 * relayed tunnel with coturn on a core of its own: recvmmsg batches of ~6, one ppoll(2), one
 * superframe of ~6 segments to the TAP, one wake-up of the application and every ~2.5 writes one
 * TCP ACK back through the tunnel and the relay, per batch). Each of those costs the same for 6
 * segments as for 20; larger batches make fewer of them per byte.
 *
 * <p>Only bulk TCP starts a delay: a batch must have joined at least two segments of a flow,
 * which needs full-size segments without PSH in a row. A ping, a request, an answer, an ACK
 * stream (the sending end of a bulk transfer) are never joined, so they are never held; and the
 * TAP is watched throughout, so the other direction (ACKs the write produced, frames to send)
 * goes out at once. A batch that filled the loop's budget has more waiting: no delay then.
 *
 * <p>Not thread-safe: the loop's thread only. Times are {@link System#nanoTime()} values.
 */
final class ReceiveModeration {
    private final long delayNanos;
    private boolean pending;
    private long due;

    /** @param delayNanos how long the socket rests after a bulk batch; 0 turns moderation off */
    ReceiveModeration(long delayNanos) {
        this.delayNanos = Math.max(0, delayNanos);
    }

    /**
     * After every read of the socket: {@code records} taken (of at most {@code budget}), of which
     * {@code joined} segments went to the TAP joined with others. Decides the next rest afresh.
     */
    void afterBatch(int records, int budget, long joined, long now) {
        pending = delayNanos > 0 && records > 0 && records < budget && joined >= 2;
        if (pending) {
            due = now + delayNanos;
        }
    }

    /** Nanoseconds the socket should still rest, or 0 when it may be read now. */
    long restNanos(long now) {
        if (!pending) {
            return 0;
        }
        long left = due - now;
        if (left <= 0) {
            pending = false;
            return 0;
        }
        return left;
    }
}
