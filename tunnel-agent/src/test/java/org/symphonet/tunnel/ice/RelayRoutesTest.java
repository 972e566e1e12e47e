package org.symphonet.tunnel.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.symphonet.tunnel.AgentConfig;
import org.symphonet.tunnel.IceParameters.CandidateType;

/**
 * Which way each end of a relayed tunnel sends (issue 15): the bench's case, end A behind a
 * symmetric NAT and end B behind an endpoint-independent one, both holding an allocation on one
 * TURN server. ICE selects one pair for both directions; afterwards each end sends through its own
 * allocation to the other end's own address, never into the other end's relay socket.
 */
class RelayRoutesTest {
    private static final InetSocketAddress TURN = new InetSocketAddress("10.203.10.1", 3478);
    /** A's relayed address and B's. */
    private static final InetSocketAddress RELAY_A = new InetSocketAddress("10.203.10.1", 50001);
    private static final InetSocketAddress RELAY_B = new InetSocketAddress("10.203.10.1", 50002);
    /** B's server-reflexive address (one mapping for every destination). */
    private static final InetSocketAddress SRFLX_B = new InetSocketAddress("10.203.12.2", 40000);
    /** A's NAT mapping toward B's relay: learned from A's check through that relay (peer-reflexive). */
    private static final InetSocketAddress A_TOWARD_RELAY_B = new InetSocketAddress("10.203.13.2", 61234);

    private final TurnAllocation allocA = allocation(RELAY_A);
    private final TurnAllocation allocB = allocation(RELAY_B);

    private static TurnAllocation allocation(InetSocketAddress relayed) {
        TurnAllocation a = new TurnAllocation(new AgentConfig.TurnServer(TURN, "u", "p"));
        a.relayed = relayed;
        return a;
    }

    private static CandidatePair pair(TurnAllocation base, InetSocketAddress remote, CandidateType type,
                                      long priority, boolean valid) {
        CandidatePair p = new CandidatePair(base, remote, type, priority);
        p.valid = valid;
        if (base != null) {
            base.channelFor(remote);
            base.markBound(remote);
        }
        return p;
    }

    @Test
    void symmetricEndMovesFromThePeersRelayToItsOwn() {
        // A's selected pair: plain datagrams from its socket to B's relay (B's small relay socket).
        CandidatePair selected = pair(null, RELAY_B, CandidateType.RELAY, 10, true);
        CandidatePair own = pair(allocA, SRFLX_B, CandidateType.SRFLX, 5, true);
        CandidatePair relayToRelay = pair(allocA, RELAY_B, CandidateType.RELAY, 50, true);
        List<InetSocketAddress> peerRelays = List.of(RELAY_B);
        assertTrue(RelayRoutes.wanted(selected, allocA, true));
        assertFalse(RelayRoutes.isOwnRoute(selected, allocA, peerRelays), "to the peer's relay is not our own route");
        assertFalse(RelayRoutes.isOwnRoute(relayToRelay, allocA, peerRelays),
                "relay to relay enters the peer's relay socket too, whatever its priority");
        assertSame(own, RelayRoutes.best(List.of(selected, relayToRelay, own), allocA, peerRelays));
    }

    @Test
    void endpointIndependentEndKeepsSendingThroughItsOwnRelay() {
        // B's selected pair: its own relay toward A's mapping: already the route it should use.
        CandidatePair selected = pair(allocB, A_TOWARD_RELAY_B, CandidateType.PRFLX, 10, true);
        List<InetSocketAddress> peerRelays = List.of(RELAY_A);
        assertTrue(RelayRoutes.wanted(selected, allocB, true), "it still keeps its NAT open for A's relay");
        assertTrue(RelayRoutes.isOwnRoute(selected, allocB, peerRelays));
        assertSame(selected, RelayRoutes.best(List.of(selected), allocB, peerRelays));
    }

    @Test
    void aRouteIsTakenOnlyOnceCheckedAndBound() {
        List<InetSocketAddress> peerRelays = List.of(RELAY_B);
        CandidatePair unchecked = pair(allocA, SRFLX_B, CandidateType.SRFLX, 5, false);
        assertNull(RelayRoutes.best(List.of(unchecked), allocA, peerRelays), "not answered through our relay yet");
        TurnAllocation fresh = allocation(RELAY_A);
        CandidatePair unbound = new CandidatePair(fresh, SRFLX_B, CandidateType.SRFLX, 5);
        unbound.valid = true;
        assertNull(RelayRoutes.best(List.of(unbound), fresh, peerRelays), "no channel bound yet");
        fresh.markBound(SRFLX_B);
        assertSame(unbound, RelayRoutes.best(List.of(unbound), fresh, peerRelays));
        CandidatePair better = pair(fresh, A_TOWARD_RELAY_B, CandidateType.PRFLX, 9, true);
        assertSame(better, RelayRoutes.best(List.of(unbound, better), fresh, peerRelays), "highest priority wins");
    }

    @Test
    void nothingMovesWithoutAllocationRelayedPairOrAWillingPeer() {
        CandidatePair relayed = pair(null, RELAY_B, CandidateType.RELAY, 10, true);
        CandidatePair reflexive = pair(null, SRFLX_B, CandidateType.SRFLX, 10, true);
        assertFalse(RelayRoutes.wanted(relayed, null, true), "no allocation of our own");
        assertFalse(RelayRoutes.wanted(reflexive, allocA, true), "not a relayed tunnel");
        assertFalse(RelayRoutes.wanted(relayed, allocA, false), "an older peer drops records from our relay");
        assertFalse(RelayRoutes.wanted(null, allocA, true));
        CandidatePair otherAllocation = pair(allocB, SRFLX_B, CandidateType.SRFLX, 10, true);
        assertFalse(RelayRoutes.isOwnRoute(otherAllocation, allocA, List.of()), "only through the allocation we keep");
    }

    @Test
    void checksArePacedFastThenSlow() {
        assertEquals(RelayRoutes.FAST_NANOS, RelayRoutes.routeCheckDelayNanos(0));
        assertEquals(RelayRoutes.FAST_NANOS, RelayRoutes.routeCheckDelayNanos(RelayRoutes.FAST_CHECKS - 1));
        assertEquals(RelayRoutes.SLOW_NANOS, RelayRoutes.routeCheckDelayNanos(RelayRoutes.FAST_CHECKS));
        assertEquals(RelayRoutes.FAST_NANOS, RelayRoutes.keepOpenDelayNanos(0));
        // Kept open for good afterwards, well within a NAT's 30-s timeout for a UDP flow.
        assertEquals(RelayRoutes.KEEP_OPEN_NANOS, RelayRoutes.keepOpenDelayNanos(1000));
        assertTrue(RelayRoutes.KEEP_OPEN_NANOS <= java.util.concurrent.TimeUnit.SECONDS.toNanos(15));
    }
}
