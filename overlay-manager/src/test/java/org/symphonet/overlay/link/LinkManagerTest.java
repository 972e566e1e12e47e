package org.symphonet.overlay.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.symphonet.ofcontroller.view.NodeId;
import org.symphonet.overlay.identity.Fingerprint;
import org.symphonet.overlay.signal.IceCandidate;
import org.symphonet.overlay.signal.IceParams;
import org.symphonet.overlay.signal.SignalBody;
import org.symphonet.overlay.topology.OverlayTopology;
import org.symphonet.overlay.topology.PlannerSettings;
import org.symphonet.overlay.topology.SymphonyParams;

/**
 * Link negotiation between several managers wired by in-memory signaling and tunnels that come up
 * once both ends have connected: the state machine, collisions, busy, timeouts and retries.
 */
class LinkManagerTest {

    private static final String OVERLAY = "lab";

    /** A little overlay of managers whose messages and tunnel events are delivered by hand. */
    private final class Net {
        final List<NodeId> ids;
        final Map<NodeId, LinkManager> managers = new HashMap<>();
        final Map<NodeId, Map<String, NodeId>> ports = new HashMap<>();
        final ArrayDeque<SignalBody> wire = new ArrayDeque<>();
        /** Which ends of each (a,b) pair have called connect. */
        final Map<List<NodeId>, Set<NodeId>> connected = new HashMap<>();
        /** The tunnel handle each manager was last given, by (self, peer). */
        final Map<List<NodeId>, TunnelPort.Handle> handles = new HashMap<>();
        final Set<NodeId> silent = new HashSet<>();
        /** The member list each switch was last given. */
        final Map<NodeId, Members> published = new HashMap<>();
        int opened;
        int closed;
        long now;

        Net(List<NodeId> ids, int maxLinks) {
            this(ids, maxLinks, 1, 0);
        }

        Net(List<NodeId> ids, int maxLinks, int shortcuts, int onDemand) {
            this.ids = ids;
            for (NodeId id : ids) {
                ports.put(id, new HashMap<>());
                OverlayTopology topo = OverlayTopology.start(id, new SymphonyParams(2, OptionalInt.of(shortcuts), 4, maxLinks,
                        onDemand),
                        new PlannerSettings(8, 2, Duration.ofSeconds(30)), 1_000_000, Duration.ofSeconds(60));
                managers.put(id, new LinkManager(OVERLAY, topo, wire::add, tunnelsOf(id), switchOf(id),
                        LinkTimers.DEFAULT, new Random(id.lo())));
            }
            managers.values().forEach(m -> m.membership(others(m, ids)));
        }

        private Set<NodeId> others(LinkManager m, List<NodeId> ids) {
            Set<NodeId> s = new HashSet<>(ids);
            managers.forEach((id, mm) -> {
                if (mm == m) {
                    s.remove(id);
                }
            });
            return s;
        }

        TunnelPort tunnelsOf(NodeId self) {
            return new TunnelPort() {
                @Override
                public Fingerprint localFingerprint() {
                    return fingerprint(self);
                }

                @Override
                public Handle open(NodeId peer) {
                    opened++;
                    List<NodeId> key = pair(self, peer);
                    Handle h = new Handle() {
                        @Override
                        public IceParams localParameters() {
                            return ice(self);
                        }

                        @Override
                        public void connect(Fingerprint peerFp, IceParams remote) {
                            assertEquals(fingerprint(peer), peerFp, "the fingerprint the peer signaled");
                            Set<NodeId> ends = connected.computeIfAbsent(key, k -> new HashSet<>());
                            ends.add(self);
                            if (ends.size() == 2) {
                                String port = "t-" + key.get(0).shortHex() + "-" + key.get(1).shortHex();
                                managers.get(key.get(0)).tunnel(new TunnelUpdate.Up(key.get(1), tunnelOf(key.get(0), key.get(1)),
                                        port, "direct"), now);
                                managers.get(key.get(1)).tunnel(new TunnelUpdate.Up(key.get(0), tunnelOf(key.get(1), key.get(0)),
                                        port, "direct"), now);
                            }
                        }

                        @Override
                        public void close() {
                            closed++;
                            connected.remove(key);
                        }
                    };
                    handles.put(List.of(self, peer), h);
                    return h;
                }
            };
        }

        SwitchPort switchOf(NodeId self) {
            return new SwitchPort() {
                @Override
                public void linkUp(String port, NodeId peer) {
                    ports.get(self).put(port, peer);
                }

                @Override
                public void linkDown(String port) {
                    ports.get(self).remove(port);
                }

                @Override
                public void members(Members members) {
                    published.put(self, members);
                }
            };
        }

        void roundEverywhere() {
            managers.values().forEach(m -> m.round(now));
        }

        void deliverAll() {
            while (!wire.isEmpty()) {
                SignalBody b = wire.poll();
                if (!silent.contains(b.to())) {
                    managers.get(b.to()).received(b, now);
                }
            }
        }

        TunnelPort.Handle tunnelOf(NodeId self, NodeId peer) {
            return handles.get(List.of(self, peer));
        }

        Set<NodeId> peersOf(NodeId id) {
            return new HashSet<>(ports.get(id).values());
        }
    }

    /** Two managers after one round and its messages: linked to each other. */
    private Net linkedPair() {
        Net net = new Net(ids(2, 4), 10);
        net.roundEverywhere();
        net.deliverAll();
        return net;
    }

    /** Three managers after one round and its messages; the first linked to the second. */
    private Net trioWithALinkFromAToB() {
        Net net = new Net(ids(3, 6), 10);
        net.roundEverywhere();
        net.deliverAll();
        assertTrue(net.peersOf(net.ids.get(0)).contains(net.ids.get(1)), "a linked to b: " + net.peersOf(net.ids.get(0)));
        return net;
    }

    private static List<NodeId> pair(NodeId a, NodeId b) {
        return a.compareTo(b) < 0 ? List.of(a, b) : List.of(b, a);
    }

    private static Fingerprint fingerprint(NodeId id) {
        StringBuilder sb = new StringBuilder("sha-256 ");
        String hex = (id.toString() + id.toString()).toUpperCase();
        for (int i = 0; i < 64; i += 2) {
            sb.append(hex, i, i + 2).append(i < 62 ? ":" : "");
        }
        return new Fingerprint(sb.toString());
    }

    private static IceParams ice(NodeId id) {
        return new IceParams("u" + id.shortHex(), "p" + id + "xxxxxxxx", List.of(
                new IceCandidate("1", 1, 2130706431L, IceCandidate.Type.HOST, "10.0.0.1", 4000)));
    }

    private static List<NodeId> ids(int n, long seed) {
        Random r = new Random(seed);
        TreeSet<NodeId> s = new TreeSet<>();
        while (s.size() < n) {
            s.add(new NodeId(r.nextLong(), r.nextLong()));
        }
        return new ArrayList<>(s);
    }

    @Test
    void ringFormsAndBothEndsSeeEveryLinkOnce() {
        List<NodeId> ids = ids(6, 1);
        Net net = new Net(ids, 10);
        for (int i = 0; i < 5; i++) {
            net.roundEverywhere();
            net.deliverAll();
            net.now += 1000;
        }
        for (int i = 0; i < ids.size(); i++) {
            NodeId self = ids.get(i);
            Set<NodeId> peers = net.peersOf(self);
            assertTrue(peers.contains(ids.get((i + 1) % ids.size())), "successor link of " + i + ": " + peers);
            assertTrue(peers.contains(ids.get((i + 2) % ids.size())), "second successor of " + i);
            for (NodeId p : peers) {
                assertTrue(net.peersOf(p).contains(self), "links are undirected once up");
            }
            net.managers.get(self).links().forEach(l -> assertEquals("up", l.phase()));
        }
    }

    @Test
    void switchMembersKeepAPeerWhoseTunnelOutlivesItsPresence() {
        Net net = trioWithALinkFromAToB();
        NodeId a = net.ids.get(0), b = net.ids.get(1), c = net.ids.get(2);
        net.managers.get(a).membership(Set.of(c)); // b's presence is gone, its tunnel is not
        Members m = net.published.get(a);
        assertTrue(m.contains(a) && m.contains(b) && m.contains(c), "self, tunnel peer and presence: " + m);
        assertEquals(Set.of(a, b, c), m.toSet());
        assertFalse(m.contains(new NodeId(7, 7)), "a stranger is no member");
        net.managers.get(a).tunnel(new TunnelUpdate.Down(b, net.tunnelOf(a, b), "dead interval"), net.now);
        assertFalse(net.published.get(a).contains(b), "gone with its tunnel");
    }

    @Test
    void sameSeedGivesTheSameLinkIds() {
        List<NodeId> ids = ids(4, 7);
        List<UUID> first = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            Net net = new Net(ids, 10);
            net.roundEverywhere();
            net.deliverAll();
            List<UUID> got = new ArrayList<>();
            ids.forEach(id -> net.managers.get(id).links().forEach(l -> got.add(l.id())));
            assertFalse(got.isEmpty());
            got.forEach(u -> assertEquals(4, u.version(), "a version 4 UUID: " + u));
            if (run == 0) {
                first.addAll(got);
            } else {
                assertEquals(first, got);
            }
        }
    }

    @Test
    void simultaneousRequestsEndInOneLink() {
        List<NodeId> ids = ids(2, 2);
        Net net = new Net(ids, 10);
        net.roundEverywhere(); // both ask at once
        net.deliverAll();
        assertEquals(Set.of(ids.get(1)), net.peersOf(ids.get(0)));
        assertEquals(Set.of(ids.get(0)), net.peersOf(ids.get(1)));
        assertEquals(1, net.managers.get(ids.get(0)).links().size());
        assertEquals(1, net.managers.get(ids.get(1)).links().size());
        assertEquals(net.managers.get(ids.get(0)).links().get(0).id(), net.managers.get(ids.get(1)).links().get(0).id(),
                "both ends agree on the winning request");
    }

    @Test
    void unansweredRequestIsAbandonedAndRetriedWithBackoff() {
        List<NodeId> ids = ids(2, 3);
        Net net = new Net(ids, 10);
        net.silent.add(ids.get(1));
        net.managers.get(ids.get(0)).round(net.now);
        net.deliverAll();
        net.now += LinkTimers.DEFAULT.answerTimeout().toMillis() + 1;
        net.managers.get(ids.get(0)).tick(net.now);
        assertTrue(net.managers.get(ids.get(0)).links().isEmpty(), "abandoned after the deadline");
        assertEquals(net.opened, net.closed, "its tunnel was closed");
        net.managers.get(ids.get(0)).round(net.now + 100);
        assertTrue(net.managers.get(ids.get(0)).links().isEmpty(), "not asked again before the backoff");
        net.silent.clear();
        net.now += 2_500;
        net.managers.get(ids.get(0)).round(net.now);
        net.deliverAll();
        assertEquals(Set.of(ids.get(1)), net.peersOf(ids.get(0)));
    }

    @Test
    void tunnelDownTakesThePortAwayAndTheLinkComesBack() {
        Net net = linkedPair();
        NodeId a = net.ids.get(0), b = net.ids.get(1);
        net.managers.get(a).tunnel(new TunnelUpdate.Down(b, net.tunnelOf(a, b), "dead interval"), net.now);
        assertTrue(net.peersOf(a).isEmpty());
        net.now += 3_000;
        net.managers.get(a).round(net.now);
        net.deliverAll();
        assertEquals(Set.of(b), net.peersOf(a));
    }

    @Test
    void aLostTunnelLeavesTheSwitchBeforeItsTeardownAndItsLaterDownChangesNothing() {
        Net net = trioWithALinkFromAToB();
        NodeId a = net.ids.get(0), b = net.ids.get(1), c = net.ids.get(2);
        LinkManager m = net.managers.get(a);
        m.membership(Set.of(c)); // b was killed: its presence went, the fast check runs
        TunnelPort.Handle dead = net.tunnelOf(a, b);
        int closedBefore = net.closed;
        // The check failed: the agent reports the tunnel lost, then tears it down (ovs-vsctl del-port
        // and all, seconds under load), then reports it down.
        m.tunnel(new TunnelUpdate.Lost(b, dead, "DEAD_INTERVAL: no answer to a fast check"), net.now);
        assertFalse(net.peersOf(a).contains(b), "the port left the switch on Lost: " + net.ports.get(a));
        assertFalse(net.published.get(a).contains(b), "and b left the members the switch floods to");
        assertTrue(m.links().stream().noneMatch(l -> l.peer().equals(b)), "the link is gone: " + m.links());
        assertEquals(closedBefore + 1, net.closed, "closing the tunnel again is the agent's no-op");
        Set<String> portsBefore = Set.copyOf(net.ports.get(a).keySet());
        // b (back online, say) is not asked again while the agent still holds the old tunnel: that
        // open would fail and cost a second backoff.
        m.membership(Set.of(b, c));
        net.now += LinkTimers.DEFAULT.retryMin().toMillis();
        m.round(net.now);
        assertFalse(net.wire.stream().anyMatch(x -> x instanceof SignalBody.LinkRequest && x.to().equals(b)),
                "not asked during the teardown: " + net.wire);
        int openedBefore = net.opened;
        m.received(new SignalBody.LinkRequest(OVERLAY, new UUID(1, 2), b, a,
                org.symphonet.overlay.topology.LinkRole.SUCCESSOR, fingerprint(b), ice(b)), net.now);
        assertEquals(openedBefore, net.opened, "nor is its own request taken during the teardown");
        assertTrue(net.wire.stream().anyMatch(x -> x instanceof SignalBody.LinkReject r && r.to().equals(b)), net.wire.toString());
        net.wire.clear();
        Members membersBefore = net.published.get(a);
        m.tunnel(new TunnelUpdate.Down(b, dead, "DEAD_INTERVAL: no answer to a fast check"), net.now);
        assertEquals(portsBefore, net.ports.get(a).keySet(), "Down after Lost changes nothing");
        assertEquals(membersBefore, net.published.get(a));
        assertEquals(closedBefore + 1, net.closed);
        // One failure counted, not two: after the teardown b is asked at once.
        m.round(net.now);
        assertTrue(net.wire.stream().anyMatch(x -> x instanceof SignalBody.LinkRequest && x.to().equals(b)),
                "asked b again after one retry wait: " + net.wire);
    }

    @Test
    void lateEventsOfAReplacedTunnelLeaveTheNewLinkAlone() {
        Net net = linkedPair();
        NodeId a = net.ids.get(0), b = net.ids.get(1);
        TunnelPort.Handle first = net.tunnelOf(a, b);
        net.managers.get(a).tunnel(new TunnelUpdate.Down(b, first, "dead interval"), net.now);
        net.now += 3_000;
        net.managers.get(a).round(net.now);
        net.deliverAll();
        assertEquals(Set.of(b), net.peersOf(a), "the link came back");
        assertTrue(net.tunnelOf(a, b) != first, "on a new tunnel");
        // The old tunnel's events, delivered late (the node queues them on its control thread).
        net.managers.get(a).tunnel(new TunnelUpdate.Down(b, first, "closed by the overlay manager"), net.now);
        net.managers.get(a).tunnel(new TunnelUpdate.Stats(b, first, 99, 1, 1), net.now);
        assertEquals(Set.of(b), net.peersOf(a), "the new link survives the old tunnel's down event");
        assertTrue(net.managers.get(a).links().stream().allMatch(l -> l.phase().equals("up") && l.rttMillis() != 99));
    }

    @Test
    void aRestartedPeersStaleLinkGoesAtOnceAndItIsAskedAgainWithoutBackoff() {
        Net net = linkedPair();
        NodeId a = net.ids.get(0), b = net.ids.get(1);
        assertEquals(Set.of(b), net.peersOf(a));
        int closedBefore = net.closed;
        net.managers.get(a).peerRestarted(b, net.now);
        assertTrue(net.peersOf(a).isEmpty(), "the port of the stale link is gone");
        assertTrue(net.managers.get(a).links().isEmpty());
        assertEquals(closedBefore + 1, net.closed, "its tunnel closed");
        assertTrue(net.wire.isEmpty(), "nobody to tell: the peer's previous run is gone");
        net.managers.get(a).round(net.now); // same instant: no failure, so no backoff
        assertTrue(net.wire.stream().anyMatch(m -> m instanceof SignalBody.LinkRequest && m.to().equals(b)),
                "asked the new run at once: " + net.wire);
    }

    @Test
    void anIdleOnDemandLinkLeavesTheSwitchAtOnceAndItsTunnelDrainsBeforeItCloses() {
        // Six nodes, two successors, no shortcuts: each node's third neighbour clockwise is not adjacent.
        List<NodeId> ids = ids(6, 11);
        Net net = new Net(ids, 10, 0, 1);
        for (int i = 0; i < 3; i++) {
            net.roundEverywhere();
            net.deliverAll();
            net.now += 1000;
        }
        NodeId a = ids.get(0), b = ids.get(3);
        assertFalse(net.peersOf(a).contains(b), "not adjacent: " + net.peersOf(a));
        net.managers.get(a).traffic(b, 5e6, net.now);
        net.managers.get(a).round(net.now);
        net.deliverAll();
        assertTrue(net.peersOf(a).contains(b), "on-demand link up");
        int closedBefore = net.closed;
        net.now += 61_000; // past the idle period with no traffic reported
        net.managers.get(a).round(net.now);
        assertFalse(net.peersOf(a).contains(b), "the switch let go of the port at once");
        assertEquals(closedBefore, net.closed, "the tunnel still drains");
        // The peer hears the link-close: its switch lets go of the port too, its end drains as well
        // (its switch may send on the port until the announcement over the ring moves its flows).
        net.deliverAll();
        assertFalse(net.peersOf(b).contains(a), "the peer's switch let go of the port at once");
        assertTrue(net.managers.get(b).links().stream().noneMatch(li -> li.peer().equals(a)), "the peer dropped the link");
        assertEquals(closedBefore, net.closed, "both ends still drain");
        net.managers.get(a).tick(net.now + LinkManager.DRAIN_MILLIS - 1);
        net.managers.get(b).tick(net.now + LinkManager.DRAIN_MILLIS - 1);
        assertEquals(closedBefore, net.closed);
        net.managers.get(a).tick(net.now + LinkManager.DRAIN_MILLIS);
        net.managers.get(b).tick(net.now + LinkManager.DRAIN_MILLIS);
        assertEquals(closedBefore + 2, net.closed, "both ends closed after draining");
    }

    /**
     * Issue 16: a link one end stops wanting while the other still wants it used to be closed by its
     * initiator after the grace and at once re-made by the peer. Ring A < X < B < C, two successors,
     * no shortcuts: A, B and C link up; when X joins, A no longer wants C but C still wants A (its
     * successors are then A and X), so the link stays. When Y1 and Y2 join after C, C no longer wants
     * A either, says so, and A closes the link after the grace.
     */
    @Test
    void aLinkStaysWhileEitherEndWantsItAndGoesWhenNeitherDoes() {
        List<NodeId> ids = ids(6, 21);
        NodeId a = ids.get(0), x = ids.get(1), b = ids.get(2), c = ids.get(3);
        Net net = new Net(ids, 10, 0, 0);
        Set<NodeId> online = new HashSet<>(List.of(a, b, c));
        settle(net, online, 3);
        UUID ac = linkId(net, a, c);
        assertTrue(ac != null && net.managers.get(a).links().stream().anyMatch(l -> l.peer().equals(c) && l.outbound()),
                "a asked c for the link: " + net.managers.get(a).links());
        TunnelPort.Handle tunnel = net.tunnelOf(a, c);

        online.add(x);
        settle(net, online, 40); // 40 s: past the 30 s grace
        assertEquals(ac, linkId(net, a, c), "the link a no longer wants but c does is still the same link");
        assertEquals(ac, linkId(net, c, a));
        assertTrue(tunnel == net.tunnelOf(a, c), "on the same tunnel: nothing flapped");
        assertTrue(net.peersOf(a).contains(c) && net.peersOf(c).contains(a));

        online.addAll(ids.subList(4, 6));
        settle(net, online, 40);
        assertEquals(null, linkId(net, a, c), "neither end wants it now: gone");
        assertEquals(null, linkId(net, c, a));
        assertFalse(net.peersOf(a).contains(c) || net.peersOf(c).contains(a));
    }

    /** Rounds once a second among {@code online} (each told the others are its members), delivering every message. */
    private static void settle(Net net, Set<NodeId> online, int seconds) {
        for (NodeId id : online) {
            Set<NodeId> others = new HashSet<>(online);
            others.remove(id);
            net.managers.get(id).membership(others);
        }
        for (int i = 0; i < seconds; i++) {
            online.forEach(id -> net.managers.get(id).round(net.now));
            net.deliverAll();
            online.forEach(id -> net.managers.get(id).tick(net.now));
            net.now += 1000;
        }
    }

    private static UUID linkId(Net net, NodeId self, NodeId peer) {
        return net.managers.get(self).links().stream().filter(l -> l.peer().equals(peer)).map(LinkInfo::id)
                .findFirst().orElse(null);
    }

    @Test
    void theResponderSaysItWantsTheLinkOnceNotEveryRound() {
        Net net = linkedPair();
        NodeId a = net.ids.get(0), b = net.ids.get(1);
        // Two nodes: each wants the other as successor; a's request won, so b is the responder.
        List<SignalBody> wants = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            net.roundEverywhere();
            net.wire.stream().filter(m -> m instanceof SignalBody.LinkWant).forEach(wants::add);
            net.deliverAll();
        }
        assertEquals(1, wants.size(), "said once, not every round: " + wants);
        SignalBody.LinkWant w = (SignalBody.LinkWant) wants.get(0);
        assertTrue(w.from().equals(b) && w.to().equals(a) && w.want(), w.toString());
        assertEquals(linkId(net, a, b), w.link());
    }

    @Test
    void aWishLostWhileXmppWasDownIsSentAgainOnReconnect() {
        Net net = linkedPair();
        NodeId a = net.ids.get(0), b = net.ids.get(1);
        net.silent.add(a); // b's XMPP drops as it tells a that it wants the link: the message is lost
        net.roundEverywhere();
        assertEquals(1, wantsTo(net, a), "b said it once: " + net.wire);
        net.deliverAll();
        net.silent.clear();
        net.roundEverywhere();
        assertEquals(0, wantsTo(net, a), "unchanged wishes are not repeated: " + net.wire);
        net.managers.get(b).resendWishes(); // b's XMPP is back
        assertEquals(1, wantsTo(net, a), "the current wish again: " + net.wire);
        SignalBody.LinkWant w = (SignalBody.LinkWant) net.wire.stream().filter(m -> m instanceof SignalBody.LinkWant)
                .findFirst().orElseThrow();
        assertTrue(w.want() && w.from().equals(b) && w.link().equals(linkId(net, a, b)), w.toString());
    }

    @Test
    void anInitiatorBackOnlineIsToldTheWishAgain() {
        Net net = linkedPair();
        NodeId a = net.ids.get(0), b = net.ids.get(1);
        net.roundEverywhere();
        net.deliverAll(); // b told a it wants the link
        LinkManager mb = net.managers.get(b);
        mb.membership(Set.of()); // a's XMPP session drops (its tunnel answers the check: the link stays)
        mb.membership(Set.of(a)); // and comes back; whatever b said meanwhile was dropped by the server
        assertEquals(1, wantsTo(net, a), "told again: " + net.wire);
    }

    private static long wantsTo(Net net, NodeId to) {
        return net.wire.stream().filter(m -> m instanceof SignalBody.LinkWant && m.to().equals(to)).count();
    }

    @Test
    void closeAllTellsThePeers() {
        List<NodeId> ids = ids(3, 5);
        Net net = new Net(ids, 10);
        net.roundEverywhere();
        net.deliverAll();
        NodeId a = ids.get(0);
        net.managers.get(a).closeAll();
        net.deliverAll();
        assertTrue(net.peersOf(a).isEmpty());
        for (NodeId other : ids.subList(1, 3)) {
            assertTrue(!net.peersOf(other).contains(a), "peer " + other.shortHex() + " dropped its link to a");
        }
    }
}
