package org.symphonet.overlay.link;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.symphonet.ofcontroller.view.NodeId;
import org.symphonet.overlay.signal.CloseReason;
import org.symphonet.overlay.signal.RejectReason;
import org.symphonet.overlay.signal.SignalBody;
import org.symphonet.overlay.topology.Admission;
import org.symphonet.overlay.topology.DesiredLinks;
import org.symphonet.overlay.topology.LinkRole;
import org.symphonet.overlay.topology.LinkState;
import org.symphonet.overlay.topology.LinkStep;
import org.symphonet.overlay.topology.OverlayTopology;

/**
 * The links of one overlay: turns the topology's wishes into negotiations (DESIGN.md section 3),
 * negotiations into tunnels, and tunnel events into the switch's view. Single-threaded: the node
 * calls every method from its one control thread, so no state here needs a lock.
 *
 * <p>Life of an outbound link: {@code Add} step, tunnel opened, link-request sent (REQUESTED);
 * link-accept, tunnel connects (CONNECTING); tunnel up (UP), port handed to the switch. An inbound
 * link starts at CONNECTING after our accept. Failures close the tunnel and pace the next attempt
 * to that peer with exponential backoff.
 *
 * <p>Only the initiator closes a link the topology no longer wants, and only when the responder
 * does not want it either: the responder says so with link-want whenever its own wish for an
 * inbound link changes, so a link stays while either end wants it (closing it would only make the
 * other end request it again at once).
 */
public final class LinkManager {

    private static final Logger log = LoggerFactory.getLogger(LinkManager.class);
    /**
     * How long a peer whose presence went away gets to answer the fast check of its tunnel. Its
     * XMPP server sends the unavailable presence as soon as a killed node's stream closes; waiting
     * for the dead interval instead would leave the ring broken for that long.
     */
    static final java.time.Duration PRESENCE_CHECK = java.time.Duration.ofMillis(800);

    enum Phase { REQUESTED, CONNECTING, UP }

    /** One link's mutable state, owned by the control thread. */
    private static final class Link {
        final UUID id;
        final NodeId peer;
        final boolean outbound;
        LinkRole role;
        Phase phase;
        TunnelPort.Handle tunnel;
        long phaseSince;
        String port;
        String type;
        long upSince;
        double rtt = -1;
        long bytesIn;
        long bytesOut;
        /** Outbound: the responder last said (link-want) that it wants this link too. */
        boolean peerWants;
        /** Inbound: what we last told the initiator about our own wish (nothing said counts as false). */
        boolean toldWant;

        Link(UUID id, NodeId peer, boolean outbound, LinkRole role, Phase phase, long now) {
            this.id = id;
            this.peer = peer;
            this.outbound = outbound;
            this.role = role;
            this.phase = phase;
            this.phaseSince = now;
        }
    }

    private final String overlay;
    private final NodeId self;
    private final SignalPort signals;
    private final TunnelPort tunnels;
    private final SwitchPort switchPort;
    private final LinkTimers timers;
    private final Random random;
    private OverlayTopology topology;
    private final Map<NodeId, Link> links = new HashMap<>();
    private final Map<NodeId, Long> retryAt = new HashMap<>();
    private final Map<NodeId, Integer> failures = new HashMap<>();
    /**
     * The links as the topology reads them (peer, role, direction, up), kept in step with
     * {@link #links} rather than rebuilt: rounds and every inbound request read it.
     */
    private final Map<NodeId, LinkState> states = new HashMap<>();
    private final Map<NodeId, LinkState> statesView = java.util.Collections.unmodifiableMap(states);
    /** Peers whose link is up; replaced (never changed in place) when one comes or goes, as the switch may hold it. */
    private Set<NodeId> upPeers = Set.of();
    private Presence online = Presence.NONE;
    private Members published;
    private DesiredLinks desired = DesiredLinks.NONE;
    /**
     * Tunnels of links removed as unwanted (by us, or by the peer: its link-close), with when to
     * close them. The switch lets go of the port at once, but the tunnel stays open this long
     * (issue 15, break after make): frames either end's switch sent before it heard of the close
     * still arrive and are delivered, instead of meeting a closed tunnel.
     */
    private final Map<NodeId, Draining> draining = new HashMap<>();
    /**
     * Tunnels reported lost whose teardown has not ended (their Down not yet come), by peer, with
     * when they were lost. The agent holds one tunnel (and port name) per peer until then, so a new
     * one is neither requested nor accepted meanwhile: asking would only fail and cost a backoff.
     */
    private final Map<NodeId, Closing> closing = new HashMap<>();
    /** A teardown not reported done after this long no longer holds its peer back. */
    static final long CLOSING_MAX_MILLIS = 30_000;

    private record Closing(TunnelPort.Handle tunnel, long since) {
    }
    static final long DRAIN_MILLIS = 2_000;

    private record Draining(TunnelPort.Handle tunnel, long closeAt) {
    }

    public LinkManager(String overlay, OverlayTopology topology, SignalPort signals, TunnelPort tunnels,
                       SwitchPort switchPort, LinkTimers timers, Random random) {
        this.overlay = overlay;
        this.self = topology.self();
        this.topology = topology;
        this.signals = signals;
        this.tunnels = tunnels;
        this.switchPort = switchPort;
        this.timers = timers;
        this.random = random;
    }

    public String overlay() {
        return overlay;
    }

    /** The members of this overlay that are online now (self excluded). */
    public void membership(Set<NodeId> members) {
        membership(Presence.of(members));
    }

    /** The members of this overlay that are online now (self excluded), in whatever form the caller keeps them. */
    public void membership(Presence members) {
        if (members.equals(online)) {
            return; // link changes publish themselves; an unchanged roster changes nothing
        }
        Presence before = online;
        online = members;
        // Over the links (a handful), not over the members: a simulated node's roster is the whole overlay.
        for (Link l : links.values()) {
            if (l.phase == Phase.UP && before.contains(l.peer) && !members.contains(l.peer)) {
                // The tunnel decides, not the presence: a peer that only lost its XMPP session keeps
                // answering and keeps its link; a dead one is dropped within the check's window.
                log.info("overlay {} link {} to {}: peer went offline; checking its tunnel", overlay, l.id, hex(l.peer));
                l.tunnel.checkAlive(PRESENCE_CHECK);
            } else if (!l.outbound && !before.contains(l.peer) && members.contains(l.peer)) {
                // The initiator is back on XMPP: what we told it while it was away was dropped
                // (headlines are not stored), and a lost "want" would let it close a link we need.
                boolean want = desired.roles().containsKey(l.peer);
                if (want || l.toldWant) {
                    tellWish(l, want);
                }
            }
        }
        publishMembers();
    }

    /**
     * The switch accepts FRBs only from members it knows. A peer whose tunnel is up stays a member
     * even when signaling says it is offline: an XMPP outage must not stop broadcasts (ARP) over
     * tunnels that still work.
     */
    private void publishMembers() {
        Members all = new Members(self, online, upPeers);
        if (!all.equals(published)) {
            published = all;
            switchPort.members(all);
        }
    }

    /** Traffic the switch saw towards a non-adjacent bridge, for on-demand links. */
    public void traffic(NodeId peer, double bytesPerSecond, long now) {
        topology = topology.withTraffic(peer, bytesPerSecond, now);
    }

    /** One topology round: what links should exist now, changed gradually. */
    public void round(long now) {
        // A peer we are backing off from (busy, timed out, failed) leaves the selector's view, so a
        // busy shortcut target is replaced by another node instead of being retried forever.
        List<NodeId> backoff = new ArrayList<>();
        retryAt.forEach((p, at) -> {
            if (at > now) {
                backoff.add(p);
            }
        });
        OverlayTopology.Round r = topology.round(online.candidates(self, upPeers, backoff), states(), now, random);
        topology = r.next();
        desired = r.desired();
        for (LinkStep step : r.steps()) {
            if (step instanceof LinkStep.Add add) {
                if (!links.containsKey(add.peer()) && retryAt.getOrDefault(add.peer(), 0L) <= now
                        && !tearingDown(add.peer(), now)) {
                    startOutbound(add.peer(), add.role(), now);
                }
            } else if (step instanceof LinkStep.Remove rm) {
                Link l = links.get(rm.peer());
                if (l != null) {
                    log.info("overlay {} link {} to {}: removing ({})", overlay, l.id, hex(l.peer), rm.reason());
                    signals.send(new SignalBody.LinkClose(overlay, l.id, self, l.peer, CloseReason.UNWANTED));
                    drainThenDrop(l, now, "unwanted");
                }
            } else if (step instanceof LinkStep.Retag retag) {
                Link l = links.get(retag.peer());
                if (l != null) {
                    l.role = retag.role();
                    state(l);
                }
            }
        }
        tellWishes();
    }

    /** Tells the initiator of each inbound link whether this end wants it now, when that changed. */
    private void tellWishes() {
        var wanted = desired.roles();
        for (Link l : links.values()) {
            if (!l.outbound && wanted.containsKey(l.peer) != l.toldWant) {
                tellWish(l, wanted.containsKey(l.peer));
            }
        }
    }

    /**
     * Tells every initiator our current wish again, changed or not: after our own XMPP connection
     * came back, since a link-want sent while it was down (or on its way as it dropped) is never
     * delivered and link-want is only sent on a change. Initiators ignore a wish they already hold.
     */
    public void resendWishes() {
        var wanted = desired.roles();
        for (Link l : links.values()) {
            if (!l.outbound) {
                tellWish(l, wanted.containsKey(l.peer));
            }
        }
    }

    private void tellWish(Link l, boolean want) {
        l.toldWant = want;
        log.info("overlay {} link {} from {}: telling the peer we {} it", overlay, l.id, hex(l.peer),
                want ? "want" : "no longer want");
        signals.send(new SignalBody.LinkWant(overlay, l.id, self, l.peer, want));
    }

    /** Deadlines: requests nobody answered, tunnels that never came up. */
    public void tick(long now) {
        if (!draining.isEmpty()) {
            List<NodeId> done = new ArrayList<>();
            draining.forEach((peer, d) -> {
                if (now >= d.closeAt()) {
                    done.add(peer);
                }
            });
            done.forEach(this::closeDraining);
        }
        long shortest = Math.min(timers.answerTimeout().toMillis(), timers.connectTimeout().toMillis());
        List<Link> due = null;
        for (Link l : links.values()) {
            if (l.phase != Phase.UP && now - l.phaseSince > shortest) {
                if (due == null) {
                    due = new ArrayList<>();
                }
                due.add(l);
            }
        }
        if (due == null) {
            return;
        }
        for (Link l : due) {
            long age = now - l.phaseSince;
            if (l.phase == Phase.REQUESTED && age > timers.answerTimeout().toMillis()) {
                log.warn("overlay {} link {} to {}: no answer in {} s; will retry", overlay, l.id, hex(l.peer),
                        timers.answerTimeout().toSeconds());
                fail(l, now, "no answer");
            } else if (l.phase == Phase.CONNECTING && age > timers.connectTimeout().toMillis()) {
                log.warn("overlay {} link {} to {}: tunnel not up in {} s; will retry", overlay, l.id, hex(l.peer),
                        timers.connectTimeout().toSeconds());
                signals.send(new SignalBody.LinkClose(overlay, l.id, self, l.peer, CloseReason.TUNNEL_FAILED));
                fail(l, now, "connect timeout");
            }
        }
    }

    /** A validated negotiation message from a trusted peer serving this overlay. */
    public void received(SignalBody body, long now) {
        if (!body.to().equals(self)) {
            log.warn("overlay {}: dropped {} addressed to {}", overlay, body.kind(), hex(body.to()));
            return;
        }
        if (body instanceof SignalBody.LinkRequest req) {
            onRequest(req, now);
        } else if (body instanceof SignalBody.LinkAccept acc) {
            Link l = links.get(acc.from());
            if (l == null || !l.id.equals(acc.link()) || l.phase != Phase.REQUESTED) {
                log.info("overlay {}: stale link-accept {} from {}; closing it", overlay, acc.link(), hex(acc.from()));
                signals.send(new SignalBody.LinkClose(overlay, acc.link(), self, acc.from(), CloseReason.UNWANTED));
                return;
            }
            l.phase = Phase.CONNECTING;
            l.phaseSince = now;
            log.info("overlay {} link {} to {}: accepted, connecting", overlay, l.id, hex(l.peer));
            l.tunnel.connect(acc.fingerprint(), acc.ice());
        } else if (body instanceof SignalBody.LinkReject rej) {
            Link l = links.get(rej.from());
            if (l != null && l.id.equals(rej.link()) && l.phase == Phase.REQUESTED) {
                log.info("overlay {} link {} to {}: rejected ({})", overlay, l.id, hex(l.peer), rej.reason());
                if (rej.reason() == RejectReason.DUPLICATE) {
                    // The peer's own request wins the collision; its request will arrive (or already did).
                    drop(l, "duplicate");
                } else {
                    fail(l, now, "rejected: " + rej.reason());
                }
            }
        } else if (body instanceof SignalBody.LinkWant want) {
            Link l = links.get(want.from());
            if (l != null && l.id.equals(want.link()) && l.outbound && l.peerWants != want.want()) {
                l.peerWants = want.want();
                state(l);
                log.info("overlay {} link {} to {}: the peer {} it", overlay, l.id, hex(l.peer),
                        want.want() ? "wants it too; keeping" : "no longer wants");
            }
        } else if (body instanceof SignalBody.LinkClose close) {
            Link l = links.get(close.from());
            if (l != null && l.id.equals(close.link())) {
                log.info("overlay {} link {} to {}: closed by peer ({})", overlay, l.id, hex(l.peer), close.reason());
                if (close.reason() == CloseReason.UNWANTED) {
                    // Our switch may still send frames toward the peer's leaves on this port until
                    // the peer's announcement over the ring has moved its flows (a capture: a ping
                    // reply forwarded here 1.8 ms after the close arrived, lost with the tunnel
                    // closed at once). The peer keeps its end open as long.
                    drainThenDrop(l, now, "closed by peer");
                } else {
                    drop(l, "closed by peer");
                }
            }
        }
    }

    private void onRequest(SignalBody.LinkRequest req, long now) {
        NodeId peer = req.from();
        Admission.Verdict v = topology.admit(peer, req.role(), states());
        switch (v) {
            case REJECT_BUSY -> {
                log.info("overlay {}: link-request {} from {} rejected: busy", overlay, req.link(), hex(peer));
                signals.send(new SignalBody.LinkReject(overlay, req.link(), self, peer, RejectReason.BUSY));
                return;
            }
            case REJECT_DUPLICATE -> {
                log.info("overlay {}: link-request {} from {} rejected: our own request wins", overlay, req.link(),
                        hex(peer));
                signals.send(new SignalBody.LinkReject(overlay, req.link(), self, peer, RejectReason.DUPLICATE));
                return;
            }
            case ACCEPT_REPLACING -> {
                Link old = links.get(peer);
                if (old != null) {
                    drop(old, "replaced by the peer's request");
                }
            }
            case ACCEPT -> {
            }
        }
        if (tearingDown(peer, now)) {
            log.info("overlay {}: link-request {} from {} rejected: our last tunnel to it is still being torn down",
                    overlay, req.link(), hex(peer));
            signals.send(new SignalBody.LinkReject(overlay, req.link(), self, peer, RejectReason.TUNNEL_FAILED));
            return;
        }
        closeDraining(peer); // one tunnel (and one port name) per peer
        TunnelPort.Handle tunnel;
        try {
            tunnel = tunnels.open(peer);
        } catch (IOException | RuntimeException e) {
            log.warn("overlay {}: cannot open a tunnel for {}'s request: {}", overlay, hex(peer), e.toString());
            signals.send(new SignalBody.LinkReject(overlay, req.link(), self, peer, RejectReason.TUNNEL_FAILED));
            return;
        }
        Link l = new Link(req.link(), peer, false, req.role(), Phase.CONNECTING, now);
        l.tunnel = tunnel;
        links.put(peer, l);
        state(l);
        log.info("overlay {} link {} from {}: accepting ({})", overlay, l.id, hex(peer), req.role().wire());
        signals.send(new SignalBody.LinkAccept(overlay, l.id, self, peer, tunnels.localFingerprint(), tunnel.localParameters()));
        tunnel.connect(req.fingerprint(), req.ice());
    }

    private void startOutbound(NodeId peer, LinkRole role, long now) {
        closeDraining(peer); // one tunnel (and one port name) per peer
        TunnelPort.Handle tunnel;
        try {
            tunnel = tunnels.open(peer);
        } catch (IOException | RuntimeException e) {
            log.warn("overlay {}: cannot open a tunnel to {}: {}", overlay, hex(peer), e.toString());
            backoff(peer, now);
            return;
        }
        Link l = new Link(linkId(), peer, true, role, Phase.REQUESTED, now);
        l.tunnel = tunnel;
        links.put(peer, l);
        state(l);
        log.info("overlay {} link {} to {}: requesting ({})", overlay, l.id, hex(peer), role.wire());
        signals.send(new SignalBody.LinkRequest(overlay, l.id, self, peer, role, tunnels.localFingerprint(),
                tunnel.localParameters()));
    }

    /** Tunnel events for this overlay's tunnels. */
    public void tunnel(TunnelUpdate update, long now) {
        Closing c = closing.get(update.peer());
        if (update instanceof TunnelUpdate.Down && c != null && c.tunnel() == update.tunnel()) {
            closing.remove(update.peer()); // its teardown is over: the peer may be linked again
        }
        Link l = links.get(update.peer());
        if (l == null || l.tunnel != update.tunnel()) {
            // A tunnel this manager already let go of (closed, or replaced by the peer's request):
            // its late events are about nothing held here.
            log.debug("overlay {}: ignored {} of a tunnel to {} no longer in use", overlay,
                    update.getClass().getSimpleName(), hex(update.peer()));
            return;
        }
        if (update instanceof TunnelUpdate.Up up) {
            l.phase = Phase.UP;
            state(l);
            l.phaseSince = now;
            l.upSince = now;
            l.port = up.portName();
            l.type = up.linkType();
            failures.remove(l.peer);
            retryAt.remove(l.peer);
            log.info("overlay {} link {} to {}: up ({}, port {})", overlay, l.id, hex(l.peer), l.type, l.port);
            switchPort.linkUp(l.port, l.peer);
            if (!upPeers.contains(l.peer)) {
                Set<NodeId> peers = new HashSet<>(upPeers);
                peers.add(l.peer);
                upPeers = Set.copyOf(peers);
            }
            publishMembers();
        } else if (update instanceof TunnelUpdate.Lost lost) {
            // Before the tunnel's teardown, not after it: the switch stops flooding to the port and
            // forgets the MACs behind it now, and the next round replaces the link (issue 16). The
            // tunnel's own Down follows and finds the link gone.
            log.info("overlay {} link {} to {}: tunnel lost ({}); port leaves the switch now", overlay, l.id,
                    hex(l.peer), lost.reason());
            closing.put(l.peer, new Closing(l.tunnel, now));
            fail(l, now, "tunnel lost: " + lost.reason());
        } else if (update instanceof TunnelUpdate.Down down) {
            log.info("overlay {} link {} to {}: tunnel down ({})", overlay, l.id, hex(l.peer), down.reason());
            fail(l, now, "tunnel down: " + down.reason());
        } else if (update instanceof TunnelUpdate.Stats st) {
            l.rtt = st.rttMillis();
            l.bytesIn = st.bytesIn();
            l.bytesOut = st.bytesOut();
        }
    }

    /**
     * {@code peer}'s node process restarted: any link to it belongs to its previous run and is dead
     * on its side, so drop it now (nobody to tell) and let the next round link the new run, without
     * the backoff a failure would cost.
     */
    public void peerRestarted(NodeId peer, long now) {
        Link l = links.get(peer);
        if (l != null) {
            log.info("overlay {} link {} to {}: the peer restarted; dropping it", overlay, l.id, hex(peer));
            drop(l, "peer restarted");
        }
        closeDraining(peer);
        failures.remove(peer);
        retryAt.remove(peer);
    }

    /** Closes every link, telling the peers (node shutdown). */
    public void closeAll() {
        List.copyOf(draining.keySet()).forEach(this::closeDraining);
        for (Link l : List.copyOf(links.values())) {
            signals.send(new SignalBody.LinkClose(overlay, l.id, self, l.peer, CloseReason.SHUTDOWN));
            drop(l, "shutdown");
        }
    }

    /**
     * A node ID as its short hex form in a log line, computed only if the line is written: the
     * simulator runs 100,000 managers with INFO off, where building every string would be most of
     * the cost of a link event.
     */
    private static Object hex(NodeId id) {
        return new Object() {
            @Override
            public String toString() {
                return id.shortHex();
            }
        };
    }

    /** A random (version 4) UUID from this manager's own generator, so a seeded run repeats itself. */
    private UUID linkId() {
        long hi = (random.nextLong() & ~0xF000L) | 0x4000L;
        long lo = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48);
        return new UUID(hi, lo);
    }

    /** Whether any link was ever requested or accepted here (for the node's start-up timeline). */
    public boolean hasLinks() {
        return !links.isEmpty();
    }

    /** Whether the last round wanted successors and every one of them has a link that is up. */
    public boolean successorsUp() {
        if (desired.successors().isEmpty()) {
            return false;
        }
        for (NodeId p : desired.successors()) {
            Link l = links.get(p);
            if (l == null || l.phase != Phase.UP) {
                return false;
            }
        }
        return true;
    }

    /** The links the last round wanted (before pacing and max-links): what the ring asks of this node. */
    public DesiredLinks desired() {
        return desired;
    }

    public List<LinkInfo> links() {
        List<LinkInfo> out = new ArrayList<>();
        for (Link l : links.values()) {
            out.add(new LinkInfo(l.id, l.peer, l.role, l.outbound, l.phase.name().toLowerCase(java.util.Locale.ROOT),
                    l.type, l.port, l.upSince, l.rtt, l.bytesIn, l.bytesOut));
        }
        out.sort(java.util.Comparator.comparing(LinkInfo::peer));
        return out;
    }

    private Map<NodeId, LinkState> states() {
        return statesView;
    }

    /** Records a link's peer, role, direction and up-ness after it was added or changed. */
    private void state(Link l) {
        states.put(l.peer, new LinkState(l.peer, l.role, l.outbound, l.phase == Phase.UP, l.peerWants));
    }
    private void fail(Link l, long now, String why) {
        drop(l, why);
        backoff(l.peer, now);
    }

    private void backoff(NodeId peer, long now) {
        int n = failures.merge(peer, 1, Integer::sum);
        retryAt.put(peer, now + timers.retryWait(n).toMillis());
    }

    /** Whether a tunnel to {@code peer} was lost and its teardown has not ended (see {@link #closing}). */
    private boolean tearingDown(NodeId peer, long now) {
        Closing c = closing.get(peer);
        if (c != null && now - c.since() > CLOSING_MAX_MILLIS) {
            closing.remove(peer);
            return false;
        }
        return c != null;
    }

    private void closeDraining(NodeId peer) {
        Draining d = draining.remove(peer);
        if (d != null) {
            d.tunnel().close();
        }
    }

    /**
     * Drops a link the topology no longer wants (ours or the peer's decision): the switch lets go of
     * its port now, but an up tunnel stays open {@link #DRAIN_MILLIS} so frames already on their way
     * through it, in either direction, are still carried.
     */
    private void drainThenDrop(Link l, long now, String why) {
        TunnelPort.Handle tunnel = l.phase == Phase.UP ? l.tunnel : null;
        if (tunnel != null) {
            l.tunnel = null; // drop() leaves it open: it drains first
            closeDraining(l.peer); // one tunnel per peer
            draining.put(l.peer, new Draining(tunnel, now + DRAIN_MILLIS));
        }
        drop(l, why);
    }

    private void drop(Link l, String why) {
        if (links.remove(l.peer, l)) {
            states.remove(l.peer);
        }
        if (l.port != null) {
            switchPort.linkDown(l.port);
        }
        if (l.tunnel != null) {
            l.tunnel.close();
        }
        if (l.phase == Phase.UP) {
            Set<NodeId> up = new HashSet<>(upPeers);
            up.remove(l.peer);
            upPeers = Set.copyOf(up);
            publishMembers();
        }
        log.debug("overlay {} link {} to {} dropped: {}", overlay, l.id, hex(l.peer), why);
    }
}
