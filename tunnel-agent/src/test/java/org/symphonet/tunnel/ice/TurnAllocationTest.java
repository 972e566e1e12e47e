package org.symphonet.tunnel.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.symphonet.tunnel.AgentConfig;
import org.symphonet.tunnel.ice.stun.StunCodec;
import org.symphonet.tunnel.ice.stun.StunMessage;

/**
 * What keeps a relayed tunnel's allocation usable (issue 15): its refresh clock, and the channels
 * (with their permissions) refreshed on it. Both ends keep their allocation now; the end that used
 * to send to the peer's relay also has a channel of its own route to refresh.
 */
class TurnAllocationTest {
    private static final InetSocketAddress TURN = new InetSocketAddress("10.203.10.1", 3478);
    private static final InetSocketAddress SELECTED_PEER = new InetSocketAddress("10.203.12.2", 40000);
    private static final InetSocketAddress OWN_ROUTE_PEER = new InetSocketAddress("10.203.12.2", 40001);
    private static final InetSocketAddress UNBOUND = new InetSocketAddress("10.203.11.2", 5000);

    @Test
    void refreshesWellWithinTheLifetimeAndThePermissionsFiveMinutes() {
        TurnAllocation a = new TurnAllocation(new AgentConfig.TurnServer(TURN, "u", "p"));
        a.lifetimeSeconds = 20;
        assertEquals(TimeUnit.SECONDS.toNanos(10), a.refreshNanos(), "half of a short lifetime (the tests' coturn)");
        a.lifetimeSeconds = 600;
        assertEquals(TimeUnit.SECONDS.toNanos(120), a.refreshNanos(), "never later than 2 min: permissions last 5");
        a.lifetimeSeconds = 4;
        assertEquals(TimeUnit.SECONDS.toNanos(5), a.refreshNanos(), "not in a loop on a tiny lifetime");
    }

    @Test
    void everyBoundChannelIsRefreshedOnItsOwnNumber() {
        TurnAllocation a = new TurnAllocation(new AgentConfig.TurnServer(TURN, "u", "p"));
        // The server's challenge gives realm and nonce: requests are signed from then on.
        byte[] raw401 = StunCodec.encode(new StunMessage.Builder(StunMessage.ALLOCATE | StunMessage.ERROR,
                new byte[12]).text(StunMessage.REALM, "symphonet").text(StunMessage.NONCE, "n0").build(), null, true);
        StunMessage challenge = StunCodec.decode(raw401, 0, raw401.length);
        assertNotNull(challenge);
        assertTrue(a.learn(challenge));
        int selected = a.channelFor(SELECTED_PEER);
        int own = a.channelFor(OWN_ROUTE_PEER);
        a.channelFor(UNBOUND);
        a.markBound(SELECTED_PEER);
        a.markBound(OWN_ROUTE_PEER);
        Set<InetSocketAddress> refreshed = new HashSet<>();
        a.boundPeers().forEach(refreshed::add);
        assertEquals(Set.of(SELECTED_PEER, OWN_ROUTE_PEER), refreshed, "bound channels only");
        for (InetSocketAddress peer : refreshed) {
            byte[] tid = new byte[12];
            tid[0] = 7;
            byte[] raw = a.channelBind(tid, peer);
            StunMessage m = StunCodec.decode(raw, 0, raw.length);
            assertEquals(StunMessage.CHANNEL_BIND, m.method());
            assertEquals(peer, m.xorAddress(StunMessage.XOR_PEER_ADDRESS), "the permission goes to the peer's address");
            assertEquals(peer.equals(SELECTED_PEER) ? selected : own,
                    (int) (m.uint32(StunMessage.CHANNEL_NUMBER) >>> 16),
                    "the same channel number as bound: a refresh, not a new channel");
            assertTrue(m.has(StunMessage.MESSAGE_INTEGRITY), "signed with the long-term key");
        }
    }
}
