package org.symphonet.tunnel.ice;

/**
 * What a paced ramp through a relay delivered, bin by bin of arrival time: datagrams counted and
 * the span of their sequence numbers, hence the rate received and the share lost in each bin. The
 * relay ceiling is the best rate received in a bin that lost (almost) nothing: what a sender could
 * keep up without losses, which is what a TCP flow needs; the best rate in any bin (losses or not)
 * is reported beside it. Pure bookkeeping, no allocation per datagram.
 */
public final class ArrivalBins {
    private final long binNanos;
    private final int payloadBytes;
    private final long[] count;
    private final long[] minSeq;
    private final long[] maxSeq;
    private int used;

    /**
     * @param binNanos     length of one bin
     * @param bins         bins kept; arrivals past the last are ignored
     * @param payloadBytes bytes counted per datagram
     */
    public ArrivalBins(long binNanos, int bins, int payloadBytes) {
        if (binNanos <= 0 || bins <= 0) {
            throw new IllegalArgumentException("bins " + bins + " of " + binNanos + " ns");
        }
        this.binNanos = binNanos;
        this.payloadBytes = payloadBytes;
        this.count = new long[bins];
        this.minSeq = new long[bins];
        this.maxSeq = new long[bins];
    }

    /** One datagram with sequence number {@code seq}, {@code sinceFirst} ns after the first arrival. */
    public void add(long sinceFirst, long seq) {
        int bin = (int) (sinceFirst / binNanos);
        if (sinceFirst < 0 || bin >= count.length) {
            return;
        }
        if (count[bin] == 0) {
            minSeq[bin] = seq;
            maxSeq[bin] = seq;
        } else {
            minSeq[bin] = Math.min(minSeq[bin], seq);
            maxSeq[bin] = Math.max(maxSeq[bin], seq);
        }
        count[bin]++;
        used = Math.max(used, bin + 1);
    }

    /** Mbit/s received in {@code bin}. */
    public double mbit(int bin) {
        return count[bin] * payloadBytes * 8.0 / (binNanos / 1e9) / 1e6;
    }

    /** Share of the datagrams sent in {@code bin}'s sequence span that did not arrive (0 for an empty bin). */
    public double loss(int bin) {
        if (count[bin] == 0) {
            return 0;
        }
        long span = maxSeq[bin] - minSeq[bin] + 1;
        return Math.max(0, 1.0 - (double) count[bin] / span);
    }

    /**
     * The best rate received in a full bin (the last one is cut short and left out) that lost at
     * most {@code maxLoss}; 0 if there is none.
     */
    public double best(double maxLoss) {
        double best = 0;
        for (int b = 0; b + 1 < used; b++) {
            if (loss(b) <= maxLoss) {
                best = Math.max(best, mbit(b));
            }
        }
        return best;
    }

    /** Bins holding arrivals, the last (partial) one included. */
    public int used() {
        return used;
    }
}
