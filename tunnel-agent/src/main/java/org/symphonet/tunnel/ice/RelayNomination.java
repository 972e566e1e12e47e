package org.symphonet.tunnel.ice;

import java.util.Collection;
import java.util.concurrent.TimeUnit;

/**
 * When the controlling end may nominate the best valid pair, above all when that pair is relayed:
 * a relayed pair validates within a round trip of gathering, but a direct one between NATs that
 * open late may still be on its way, and a tunnel that settles for the relay keeps the relay's
 * cost for its life.
 *
 * <p>A relayed pair may win once the peer's checks reach us (it is punching holes toward us too)
 * and every pair that would not need the relay has been checked {@link #CHECKS_BEFORE_RELAY} times
 * since, and at least {@link #GRACE_PEER_CHECKING} has passed; or after {@link #GRACE} in any case.
 * Between endpoint-independent NATs the first check after the peer's first one is answered within a
 * round trip, so three checks 200 ms apart leave two spares. Counting our own checks rather than
 * milliseconds keeps a starved machine (tens of nodes starting at once) from settling for the relay
 * while its checks are still waiting to be sent. Five checks and 700 ms before (bench: relayed
 * nominated ~1.07 s after the checks started, up 2.8-3.1 s after both agents started; goal 3 s).
 */
final class RelayNomination {
    static final long GRACE = TimeUnit.MILLISECONDS.toNanos(4000);
    static final long GRACE_PEER_CHECKING = TimeUnit.MILLISECONDS.toNanos(400);
    static final int CHECKS_BEFORE_RELAY = 3;
    /** A direct pair that just validated waits this long for a better one. */
    static final long BETTER_PAIR_WAIT = TimeUnit.MILLISECONDS.toNanos(100);

    private RelayNomination() {
    }

    /**
     * Whether {@code best} (the valid pair of highest priority) may be nominated at {@code now}.
     *
     * @param firstPeerCheck when the peer's first authentic check arrived, 0 if none yet
     */
    static boolean ready(CandidatePair best, Collection<CandidatePair> pairs, long now, long checksStart,
                         long firstPeerCheck) {
        if (!best.relayed()) {
            return now - best.validSince >= BETTER_PAIR_WAIT;
        }
        if (now - checksStart >= GRACE) {
            return true;
        }
        return firstPeerCheck != 0
                && now - Math.max(firstPeerCheck, checksStart) >= GRACE_PEER_CHECKING
                && othersTriedEnough(pairs);
    }

    /** Every pair that would not need the relay has had its chance while the peer was checking too. */
    private static boolean othersTriedEnough(Collection<CandidatePair> pairs) {
        for (CandidatePair p : pairs) {
            if (!p.relayed() && p.checksWhilePeerChecks < CHECKS_BEFORE_RELAY) {
                return false;
            }
        }
        return true;
    }
}
