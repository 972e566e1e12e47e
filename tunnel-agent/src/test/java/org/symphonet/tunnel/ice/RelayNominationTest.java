package org.symphonet.tunnel.ice;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.symphonet.tunnel.AgentConfig;
import org.symphonet.tunnel.IceParameters.CandidateType;

/** When the controlling end may nominate: a direct pair at once, a relayed one after the others had their chance. */
class RelayNominationTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long START = 1_000_000 * MS;

    private final CandidatePair relayed = new CandidatePair(null, new InetSocketAddress("10.203.10.1", 50002),
            CandidateType.RELAY, 10);
    private final CandidatePair reflexive = new CandidatePair(null, new InetSocketAddress("10.203.12.2", 40000),
            CandidateType.SRFLX, 1000);
    private final CandidatePair host = new CandidatePair(null, new InetSocketAddress("10.203.22.2", 40000),
            CandidateType.HOST, 2000);
    private final List<CandidatePair> pairs = List.of(host, reflexive, relayed);

    @Test
    void directPairWaitsBrieflyForABetterOne() {
        reflexive.valid = true;
        reflexive.validSince = START + 300 * MS;
        assertFalse(RelayNomination.ready(reflexive, pairs, START + 350 * MS, START, 0));
        assertTrue(RelayNomination.ready(reflexive, pairs, START + 400 * MS, START, 0));
    }

    @Test
    void relayWaitsForThePeersChecks() {
        relayed.valid = true;
        triedWhilePeerChecks(10);
        assertFalse(RelayNomination.ready(relayed, pairs, START + 3000 * MS, START, 0),
                "no check from the peer yet: its NAT may still open");
    }

    @Test
    void relayWinsOnceEveryOtherPairWasCheckedEnoughWhileThePeerChecked() {
        relayed.valid = true;
        long peer = START + 200 * MS;
        triedWhilePeerChecks(RelayNomination.CHECKS_BEFORE_RELAY - 1);
        assertFalse(RelayNomination.ready(relayed, pairs, peer + 1000 * MS, START, peer),
                "a direct pair has not had its checks yet");
        triedWhilePeerChecks(RelayNomination.CHECKS_BEFORE_RELAY);
        assertFalse(RelayNomination.ready(relayed, pairs, peer + 100 * MS, START, peer),
                "checks counted, but the grace after the peer's first check has not passed");
        assertTrue(RelayNomination.ready(relayed, pairs, peer + RelayNomination.GRACE_PEER_CHECKING, START, peer));
    }

    @Test
    void starvedChecksKeepTheRelayWaitingUntilTheHardLimit() {
        relayed.valid = true;
        long peer = START + 100 * MS;
        triedWhilePeerChecks(1); // a starved machine sent only one round of checks
        assertFalse(RelayNomination.ready(relayed, pairs, START + 3900 * MS, START, peer));
        assertTrue(RelayNomination.ready(relayed, pairs, START + RelayNomination.GRACE, START, peer));
    }

    @Test
    void relayedPairsOfOurOwnAllocationDoNotHoldTheRelayBack() {
        TurnAllocation own = new TurnAllocation(new AgentConfig.TurnServer(
                new InetSocketAddress("10.203.10.1", 3478), "u", "p"));
        CandidatePair throughOwn = new CandidatePair(own, new InetSocketAddress("10.203.12.2", 40000),
                CandidateType.SRFLX, 5);
        relayed.valid = true;
        triedWhilePeerChecks(RelayNomination.CHECKS_BEFORE_RELAY);
        long peer = START;
        assertTrue(RelayNomination.ready(relayed, List.of(host, reflexive, relayed, throughOwn),
                peer + RelayNomination.GRACE_PEER_CHECKING, START, peer));
    }

    private void triedWhilePeerChecks(int checks) {
        host.checksWhilePeerChecks = checks;
        reflexive.checksWhilePeerChecks = checks;
    }
}
