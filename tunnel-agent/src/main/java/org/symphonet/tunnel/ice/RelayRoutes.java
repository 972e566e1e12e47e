package org.symphonet.tunnel.ice;

import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.concurrent.TimeUnit;

/**
 * How the two ends of a relayed tunnel carry data: each through its OWN TURN allocation.
 *
 * <p>Why: a datagram enters a TURN server either on its listening socket (the allocation's
 * owner sends ChannelData or a Send indication there) or on an allocation's relay socket (a
 * peer sends a plain datagram to the relayed address). coturn 4.6 opens every relay socket
 * with a fixed 64 KB receive buffer (128 KB effective) and its listening socket with 4 MB:
 * a tunnel's bursts into a relay socket lost 15 % of the frames (bench: relayed TCP at 0.43x
 * of what coturn carries), through the listening socket none. ICE picks ONE pair for both
 * directions, and on a relayed pair one direction always enters by the relay socket. So once
 * a relayed pair is selected, an end that holds an allocation sends through it, to the peer's
 * address as its relay sees it (never to the peer's relayed address: that is a relay socket
 * again), and takes records arriving from the peer's relayed addresses. Both directions then
 * enter the server on its listening socket and leave by a relay socket's send side.
 *
 * <p>The route needs two holes: the peer's NAT must let our relay reach it (the peer keeps
 * sending checks from its socket to our relayed address: {@link #keepOpenDelayNanos}), and our
 * allocation needs a permission and channel toward the peer's address (bound like any relayed
 * pair's, refreshed with the allocation). Until our check through our relay is answered we keep
 * sending on the selected pair; an end whose peer does not say it takes records from a relay
 * (older versions) never switches.
 */
final class RelayRoutes {
    /** Route checks and keep-open checks at this pace right after the selection... */
    static final long FAST_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    /** ...for this many checks (about 6 s), then slower: a route that failed that long waits for the NAT. */
    static final int FAST_CHECKS = 30;
    static final long SLOW_NANOS = TimeUnit.SECONDS.toNanos(5);
    /**
     * Keep-open checks once the route works: well inside a NAT's UDP timeout (Linux: 30 s for an
     * unanswered flow), so the peer's relay can still reach us when our data goes the other way.
     */
    static final long KEEP_OPEN_NANOS = TimeUnit.SECONDS.toNanos(10);

    private RelayRoutes() {
    }

    /**
     * Whether an end looks for its own-relay route: the selected pair is relayed, the end holds an
     * allocation, and the peer takes records from a relayed address.
     */
    static boolean wanted(CandidatePair selected, TurnAllocation own, boolean peerTakesRelayed) {
        return selected != null && selected.relayed() && own != null && peerTakesRelayed;
    }

    /** A pair through our own allocation toward the peer itself, not toward one of its relays. */
    static boolean isOwnRoute(CandidatePair p, TurnAllocation own, Collection<InetSocketAddress> peerRelays) {
        return isOwnRoute(p.base, p.remote, own, peerRelays);
    }

    /** The same for a datagram that came through {@code base} (null: straight to our socket) from {@code remote}. */
    static boolean isOwnRoute(TurnAllocation base, InetSocketAddress remote, TurnAllocation own,
                              Collection<InetSocketAddress> peerRelays) {
        return own != null && base == own && !peerRelays.contains(remote);
    }

    /**
     * The best usable own-relay route among {@code pairs}: valid (our check through our relay was
     * answered) with its channel bound; null if none yet.
     */
    static CandidatePair best(Iterable<CandidatePair> pairs, TurnAllocation own,
                              Collection<InetSocketAddress> peerRelays) {
        CandidatePair best = null;
        for (CandidatePair p : pairs) {
            if (isOwnRoute(p, own, peerRelays) && p.valid && own.isBound(p.remote)
                    && (best == null || p.priority > best.priority)) {
                best = p;
            }
        }
        return best;
    }

    /** Delay before the next check of a not yet valid own-relay route after {@code sent} of them. */
    static long routeCheckDelayNanos(int sent) {
        return sent < FAST_CHECKS ? FAST_NANOS : SLOW_NANOS;
    }

    /**
     * Delay before the next keep-open check from our socket to a peer's relayed address after
     * {@code sent} of them: fast until the peer's route can have settled, then a keepalive.
     */
    static long keepOpenDelayNanos(int sent) {
        return sent < FAST_CHECKS ? FAST_NANOS : KEEP_OPEN_NANOS;
    }
}
