package org.symphonet.overlay.node;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.symphonet.ofcontroller.BridgeStatus;
import org.symphonet.ofcontroller.ControllerSettings;
import org.symphonet.ofcontroller.OfController;
import org.symphonet.ofcontroller.session.ListenAddress;
import org.symphonet.ofcontroller.traffic.TrafficReport;
import org.symphonet.ofcontroller.view.BridgeTopology;
import org.symphonet.ofcontroller.view.MutableTopologyView;
import org.symphonet.ofcontroller.view.NodeId;
import org.symphonet.overlay.config.NodeConfig;
import org.symphonet.overlay.config.OverlayConfig;
import org.symphonet.overlay.identity.Fingerprint;
import org.symphonet.overlay.identity.IdentityStore;
import org.symphonet.overlay.identity.NodeIdentity;
import org.symphonet.overlay.link.LinkInfo;
import org.symphonet.overlay.link.LinkManager;
import org.symphonet.overlay.link.LinkTimers;
import org.symphonet.overlay.link.Members;
import org.symphonet.overlay.link.SwitchPort;
import org.symphonet.overlay.link.TunnelPort;
import org.symphonet.overlay.link.TunnelUpdate;
import org.symphonet.overlay.report.StatusReporter;
import org.symphonet.overlay.signal.Peer;
import org.symphonet.overlay.signal.SignalBody;
import org.symphonet.overlay.signal.SignalListener;
import org.symphonet.overlay.signal.SignalingOptions;
import org.symphonet.overlay.signal.XmppSignaling;
import org.symphonet.overlay.status.NodeStatus;
import org.symphonet.overlay.status.StatusServer;
import org.symphonet.overlay.topology.OverlayTopology;
import org.symphonet.overlay.topology.PlannerSettings;
import org.symphonet.tunnel.AgentConfig;
import org.symphonet.tunnel.TunnelAgent;
import org.symphonet.tunnel.TunnelEvent;
import org.symphonet.tunnel.session.DefaultTunnelAgent;

/**
 * One Symphonet node: the controller, the tunnel agent and XMPP signaling in one process, joined
 * by one link manager per overlay. Every decision runs on a single control thread ("node-control");
 * signaling, tunnel and timer callbacks only post work to it.
 */
public final class Node implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Node.class);
    private static final long ROUND_EVERY_MS = 3_000;
    /**
     * A membership change (or a link lost) starts a round this soon instead of at the next periodic
     * one: long enough to take a burst of presences (an overlay starting together) in one round.
     */
    private static final long ROUND_SOON_MS = 150;
    /** How often the start-up watches for the bridges' first connection (a cheap map look-up). */
    private static final long BRIDGE_POLL_MS = 50;
    /**
     * How often each bridge measures its traffic toward remote bridges (for on-demand links): twice a
     * second, and a quarter second after a poll that saw a rate rise (TrafficPoller), so heavy
     * traffic is known within about half a second of its start and carried by its direct link
     * within 2 s (issue 15). One flow-stats request of the forwarding table each time.
     */
    static final long TRAFFIC_EVERY_MILLIS = 500;

    private final NodeConfig config;
    private final String version;
    private final long startedAt = System.currentTimeMillis();
    /**
     * Work posted after close (a tunnel event, a late presence or stats
     * reply) is dropped quietly: nothing is left to decide, and a rejection logged at every
     * shutdown would only hide real errors.
     */
    private final ScheduledExecutorService control = new java.util.concurrent.ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "node-control");
        t.setDaemon(true);
        return t;
    }, new java.util.concurrent.ThreadPoolExecutor.DiscardPolicy());
    private final MutableTopologyView view = new MutableTopologyView();
    private final Map<String, LinkManager> managers = new LinkedHashMap<>();
    private final Map<String, Long> datapathIds = new LinkedHashMap<>();
    private final OnlinePeers peersByJid = new OnlinePeers();
    /** The last presence of each roster account (bare JID), kept while it is offline too: a restart shows as a new run. */
    private final Map<String, Peer> lastPresenceByAccount = new HashMap<>();
    /** Snapshot for the status endpoint, rebuilt on the control thread after every change. */
    private final Map<String, List<LinkInfo>> linkSnapshot = new ConcurrentHashMap<>();
    /** The last traffic report per overlay and when it came, for the status endpoint. */
    private final Map<String, Measured> trafficSnapshot = new ConcurrentHashMap<>();

    private record Measured(Map<NodeId, Double> bytesPerSecond, long atMillis) {
    }
    private NodeIdentity identity;
    private OfController controller;
    private TunnelAgent agent;
    private XmppSignaling signaling;
    private StatusServer status;
    private StatusReporter reporter;
    private volatile boolean signalingUp;
    private long lastRound;
    private final StartTimeline timeline = new StartTimeline();
    /** Shrinks the heap once start-up is over (links up); null when switched off. Control thread. */
    private HeapTrim heapTrim;
    private static final long SETTLE_AFTER_SECONDS = 180;
    /** The round scheduled by {@link #roundSoon()}, while it has not run. Control thread only. */
    private java.util.concurrent.ScheduledFuture<?> pendingRound;
    private java.util.concurrent.ScheduledFuture<?> bridgeWatch;
    /** When traffic last brought a round forward, per overlay: at most once per round period. */
    private final Map<String, Long> earlyRounds = new HashMap<>();

    public Node(NodeConfig config, String version) {
        this.config = config;
        this.version = version;
    }

    public NodeId id() {
        return identity.nodeId();
    }

    public void start() throws Exception {
        identity = new IdentityStore(config.stateDir()).loadOrCreate();
        NodeId self = identity.nodeId();
        log.info("node {} starting, state in {}", self, config.stateDir());

        controller = new OfController(view, ControllerSettings.defaults(), 1);
        // Every overlay's bridge reports its traffic toward remote bridges; the link manager opens
        // on-demand links to the busy ones (a no-op for overlays with on-demand links disabled).
        controller.onTraffic(TRAFFIC_EVERY_MILLIS, report -> control.execute(() -> onTraffic(report)));
        // A new tunnel's port reaches the switch before the link manager names its peer: it must not
        // pass for a leaf meanwhile (make-before-break, issue 15).
        controller.tunnelPorts(agentConfig().tapPrefix());
        int controllerPort = controller.listen(ListenAddress.parse("tcp:127.0.0.1:0")).port();

        agent = new DefaultTunnelAgent(agentConfig());
        Fingerprint ours = toSignal(agent.localFingerprint());
        OvsBridges bridges = new OvsBridges();
        for (OverlayConfig o : config.overlays()) {
            long dpid = datapathId(self, o.id());
            datapathIds.put(o.id(), dpid);
            view.putBridge(dpid, new BridgeTopology(self, Map.of(), Set.of(self)));
            bridges.ensure(o, dpid, controllerPort);
            int stale = agent.removeStalePorts(o.bridge());
            if (stale > 0) {
                log.info("overlay {}: removed {} tunnel ports left by an earlier run", o.id(), stale);
            }
            OverlayTopology topology = OverlayTopology.start(self, o, PlannerSettings.DEFAULT);
            TunnelAdapter tunnels = new TunnelAdapter(agent, o.id(), self, o.bridge(), ours,
                    (tunnel, event) -> control.execute(() -> onTunnelEvent(o.id(), tunnel, event)));
            managers.put(o.id(), new LinkManager(o.id(), topology, this::send, tunnels, switchPort(dpid),
                    LinkTimers.DEFAULT, new Random()));
        }

        // Not at once: the first run must find bridgeWatch assigned.
        bridgeWatch = control.scheduleWithFixedDelay(this::watchBridges, BRIDGE_POLL_MS, BRIDGE_POLL_MS, TimeUnit.MILLISECONDS);
        signaling = new XmppSignaling(config.xmpp(), self, managers.keySet(), new Listener(),
                SignalingOptions.DEFAULT.withPresenceInterval(config.xmpp().presenceInterval()));
        signaling.start();
        control.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
        long trimEvery = HeapTrim.periodSeconds();
        if (trimEvery > 0) {
            heapTrim = HeapTrim.ofThisJvm();
            control.scheduleWithFixedDelay(heapTrim::check, trimEvery, trimEvery, TimeUnit.SECONDS);
            // A node whose links never all come up (no peers yet) has settled all the same by then.
            control.schedule(heapTrim::settle, SETTLE_AFTER_SECONDS, TimeUnit.SECONDS);
        }
        status = StatusServer.start(config.statusPort(), this::statusSnapshot);
        reporter = StatusReporter.start(config.report(), this::statusSnapshot);
        log.info("node {} up: {} overlays, status on 127.0.0.1:{}", self, managers.size(), status.port());
    }

    private AgentConfig agentConfig() {
        List<InetSocketAddress> stun = new ArrayList<>();
        config.ice().stun().forEach(s -> stun.add(new InetSocketAddress(s.host(), s.port())));
        List<AgentConfig.TurnServer> turn = new ArrayList<>();
        config.ice().turn().forEach(t -> turn.add(new AgentConfig.TurnServer(new InetSocketAddress(t.host(), t.port()),
                t.username(), t.password())));
        List<String> excluded = new ArrayList<>();
        config.overlays().forEach(o -> excluded.add(o.bridge()));
        AgentConfig defaults = AgentConfig.defaults(config.stateDir());
        // Host candidates never come from our own bridges or tunnel TAPs: no tunnel inside a tunnel.
        excluded.add(defaults.tapPrefix());
        return defaults.withIce(new AgentConfig.Ice(true, null, stun, turn, excluded));
    }

    private SwitchPort switchPort(long dpid) {
        return new SwitchPort() {
            /** The last set handed to the view: an equal member list is not pushed again. */
            private Set<NodeId> last = Set.of();

            @Override
            public void linkUp(String portName, NodeId peer) {
                view.linkUp(dpid, portName, peer);
            }

            @Override
            public void linkDown(String portName) {
                view.linkDown(dpid, portName);
            }

            @Override
            public void members(Members members) {
                Set<NodeId> all = members.toSet();
                if (!all.equals(last)) {
                    last = all;
                    view.setMembers(dpid, all);
                }
            }
        };
    }

    private void send(SignalBody body) {
        signaling.send(body).whenComplete((sent, err) -> {
            if (err != null || !Boolean.TRUE.equals(sent)) {
                log.debug("overlay {}: {} to {} not sent (signaling down?)", body.overlay(), body.kind(), body.to().shortHex());
            }
        });
    }

    /** On the control thread, every second. */
    private void tick() {
        try {
            long now = System.currentTimeMillis();
            managers.values().forEach(m -> m.tick(now));
            // Without signaling nobody can be asked for a link; existing tunnels keep carrying traffic.
            if (signalingUp && now - lastRound >= ROUND_EVERY_MS) {
                round(now);
            }
            managers.forEach((id, m) -> linkSnapshot.put(id, m.links()));
        } catch (RuntimeException e) {
            log.error("node control tick failed", e);
        }
    }

    private void round(long now) {
        lastRound = now;
        managers.values().forEach(m -> m.round(now));
        progress();
    }

    /** On the control thread: a round in {@value #ROUND_SOON_MS} ms unless one is already due by then. */
    private void roundSoon() {
        if (!signalingUp || pendingRound != null && !pendingRound.isDone()) {
            return;
        }
        pendingRound = control.schedule(() -> {
            try {
                if (signalingUp) {
                    round(System.currentTimeMillis());
                }
            } catch (RuntimeException e) {
                log.error("node control round failed", e);
            }
        }, ROUND_SOON_MS, TimeUnit.MILLISECONDS);
    }

    /** On the control thread: the start-up phases reached since the last look. */
    private void progress() {
        if (timeline.reached(StartTimeline.Phase.LINKS_UP)) {
            return;
        }
        boolean allUp = !managers.isEmpty();
        for (LinkManager m : managers.values()) {
            if (m.hasLinks()) {
                timeline.reach(StartTimeline.Phase.FIRST_LINK_REQUESTED);
            }
            allUp &= m.successorsUp();
        }
        if (allUp) {
            timeline.reach(StartTimeline.Phase.LINKS_UP);
            if (heapTrim != null) {
                heapTrim.settle();
            }
        }
    }

    /** On the control thread until every bridge has connected once. */
    private void watchBridges() {
        if (controller != null && datapathIds.values().stream().allMatch(controller::isConnected)) {
            timeline.reach(StartTimeline.Phase.BRIDGE_CONNECTED);
            bridgeWatch.cancel(false);
        }
    }

    private void onTunnelEvent(String overlay, TunnelPort.Handle tunnel, TunnelEvent event) {
        LinkManager m = managers.get(overlay);
        if (m == null) {
            return;
        }
        NodeId peer = NodeId.parse(tunnelOf(event).peer().hex());
        long now = System.currentTimeMillis();
        if (event instanceof TunnelEvent.Up up) {
            m.tunnel(new TunnelUpdate.Up(peer, tunnel, up.tapName(), up.linkType().name().toLowerCase(java.util.Locale.ROOT)), now);
        } else if (event instanceof TunnelEvent.Lost lost) {
            // Sent before the tunnel's teardown: the link leaves the switch and a lost ring link (a dead
            // neighbour) is replaced now, not when its port is finally deleted nor at the next periodic round.
            m.tunnel(new TunnelUpdate.Lost(peer, tunnel, lost.reason() + (lost.detail() == null ? "" : ": " + lost.detail())), now);
            roundSoon();
        } else if (event instanceof TunnelEvent.Down down) {
            m.tunnel(new TunnelUpdate.Down(peer, tunnel, down.reason() + (down.detail() == null ? "" : ": " + down.detail())), now);
            roundSoon();
        } else if (event instanceof TunnelEvent.Stats st) {
            var c = st.counters();
            m.tunnel(new TunnelUpdate.Stats(peer, tunnel, c.rttMicros() / 1000.0, c.rxBytes(), c.txBytes()), now);
        }
        linkSnapshot.put(overlay, m.links());
        progress();
    }

    /** On the control thread: one bridge's measured traffic toward remote nodes. */
    private void onTraffic(TrafficReport report) {
        String overlay = datapathIds.entrySet().stream().filter(e -> e.getValue() == report.datapathId())
                .map(Map.Entry::getKey).findFirst().orElse(null);
        LinkManager m = overlay == null ? null : managers.get(overlay);
        if (m == null) {
            return;
        }
        long now = System.currentTimeMillis();
        // All of them, adjacent peers too: an on-demand link that carries the traffic must keep
        // being reported as busy, or it would idle out and the traffic fall back to the ring (flapping).
        report.bytesPerSecond().forEach((peer, rate) -> m.traffic(peer, rate, now));
        trafficSnapshot.put(overlay, new Measured(report.bytesPerSecond(), now));
        if (signalingUp && wantsNewOnDemandLink(overlay, m, report)
                && now - earlyRounds.getOrDefault(overlay, Long.MIN_VALUE / 2) >= ROUND_EVERY_MS) {
            // Ask for the link now rather than at the next round, up to 3 s away: the switch-over
            // should follow heavy traffic within about 2 s (issue 15).
            earlyRounds.put(overlay, now);
            m.round(now);
            linkSnapshot.put(overlay, m.links());
        }
    }

    /** True when the report puts a peer we have no link to at or over the overlay's on-demand threshold. */
    private boolean wantsNewOnDemandLink(String overlay, LinkManager m, TrafficReport report) {
        OverlayConfig o = config.overlays().stream().filter(c -> c.id().equals(overlay)).findFirst().orElse(null);
        if (o == null || !o.onDemand().enabled()) {
            return false;
        }
        Set<NodeId> linked = new HashSet<>();
        m.links().forEach(l -> linked.add(l.peer()));
        for (var e : report.bytesPerSecond().entrySet()) {
            if (e.getValue() >= o.onDemand().threshold() && !linked.contains(e.getKey())) {
                return true;
            }
        }
        return false;
    }

    private static org.symphonet.tunnel.TunnelId tunnelOf(TunnelEvent e) {
        if (e instanceof TunnelEvent.Up u) {
            return u.tunnel();
        }
        if (e instanceof TunnelEvent.Down d) {
            return d.tunnel();
        }
        if (e instanceof TunnelEvent.Lost l) {
            return l.tunnel();
        }
        return ((TunnelEvent.Stats) e).tunnel();
    }

    /** Signaling callbacks arrive on Smack's thread; everything moves to the control thread. */
    private final class Listener implements SignalListener {
        @Override
        public void peerOnline(Peer peer) {
            control.execute(() -> {
                Peer earlier = lastPresenceByAccount.put(peer.account(), peer);
                if (earlier != null && peer.restartedSince(earlier)) {
                    // Its tunnels died with its previous run; ours would only notice after the dead interval,
                    // and meanwhile the switch would send its share of every broadcast into them.
                    log.info("node {} ({}) restarted; dropping links to its previous run", peer.node(), peer.jid());
                    long now = System.currentTimeMillis();
                    managers.values().forEach(m -> m.peerRestarted(peer.node(), now));
                }
                peersByJid.online(peer);
                updateMembership();
            });
        }

        @Override
        public void peerOffline(Peer peer) {
            if (!signaling.isUp()) {
                // Our own XMPP connection dropped: the peers did not leave, and tunnels to them (and the
                // members the switch accepts FRBs from) must outlive the outage. Resynced on reconnect.
                return;
            }
            control.execute(() -> {
                peersByJid.offline(peer);
                updateMembership();
            });
        }

        @Override
        public void received(Peer from, SignalBody body) {
            control.execute(() -> {
                LinkManager m = managers.get(body.overlay());
                if (m == null) {
                    log.info("dropped {} from {} for overlay '{}' this node does not serve", body.kind(), from.jid(), body.overlay());
                    if (body instanceof SignalBody.LinkRequest req) {
                        send(new SignalBody.LinkReject(req.overlay(), req.link(), identity.nodeId(), req.from(),
                                org.symphonet.overlay.signal.RejectReason.UNKNOWN_OVERLAY));
                    }
                    return;
                }
                m.received(body, System.currentTimeMillis());
                progress();
            });
        }

        @Override
        public void connectionChanged(boolean up) {
            signalingUp = up;
            if (up) {
                boolean again = timeline.reached(StartTimeline.Phase.XMPP_ONLINE);
                timeline.reach(StartTimeline.Phase.XMPP_ONLINE);
                // Peers that left while we were disconnected never said so: after presences have
                // arrived again, keep only those the server still shows.
                control.schedule(() -> {
                    long mark = peersByJid.mark(); // see OnlinePeers: presences newer than the list stay
                    signaling.peers().thenAccept(now -> control.execute(() -> {
                        Set<String> present = new HashSet<>();
                        now.forEach(p -> present.add(p.jid()));
                        if (peersByJid.retainPresent(present, mark)) {
                            updateMembership();
                        }
                        // A link-want lost while we were away is never sent again on its own (it goes on
                        // a change only); the peers' presences are back by now, so it can be delivered.
                        if (again) {
                            managers.values().forEach(LinkManager::resendWishes);
                        }
                    }));
                }, 10, TimeUnit.SECONDS);
            }
            log.info("signaling {}", up ? "connected" : "disconnected; tunnels stay up, links are not renegotiated until it returns");
        }
    }

    private void updateMembership() {
        for (var e : managers.entrySet()) {
            Set<NodeId> members = new HashSet<>();
            for (Peer p : peersByJid.values()) {
                if (p.serves(e.getKey())) {
                    members.add(p.node());
                }
            }
            e.getValue().membership(members);
        }
        // Link as soon as the roster shows peers (and replace a departed one as soon as it left).
        roundSoon();
    }

    /** The bridge datapath ID of an overlay: stable per node and overlay, never zero. */
    static long datapathId(NodeId self, String overlay) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest((self + "/" + overlay).getBytes(StandardCharsets.UTF_8));
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (d[i] & 0xff);
            }
            return v == 0 ? 1 : v;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Fingerprint toSignal(org.symphonet.tunnel.Fingerprint f) {
        return new Fingerprint(Fingerprint.PREFIX + HexFormat.ofDelimiter(":").withUpperCase().formatHex(HexFormat.of().parseHex(f.hex())));
    }

    NodeStatus statusSnapshot() {
        long now = System.currentTimeMillis();
        List<NodeStatus.Overlay> overlays = new ArrayList<>();
        for (OverlayConfig o : config.overlays()) {
            List<NodeStatus.Link> links = new ArrayList<>();
            for (LinkInfo l : linkSnapshot.getOrDefault(o.id(), List.of())) {
                links.add(new NodeStatus.Link(l.peer().toString(), jidOf(l.peer()), l.role().wire(),
                        l.outbound() ? "outbound" : "inbound", l.phase(), l.type(), l.rttMillis(), l.bytesIn(), l.bytesOut(),
                        l.upSinceMillis() == 0 ? 0 : (now - l.upSinceMillis()) / 1000));
            }
            BridgeStatus bs = controller.status(datapathIds.get(o.id())).orElse(null);
            int members = bs == null ? 1 : 1 + (int) peersByJid.values().stream().filter(p -> p.serves(o.id())).count();
            overlays.add(new NodeStatus.Overlay(o.id(), o.bridge(), members, bs != null && bs.ringGap() != null, links,
                    trafficOf(o.id(), now), bs == null ? 0 : bs.learnedMacs(), bs == null ? Map.of() : bs.counters()));
        }
        var st = signaling.stats();
        return new NodeStatus(identity.nodeId().toString(), version, (now - startedAt) / 1000,
                new NodeStatus.Xmpp(signaling.ownJid().orElse(config.xmpp().jid()), st.connected(), st.tls(), st.peers(),
                        st.received(), st.sent(), st.dropped(), st.reconnects(), st.server(),
                        new NodeStatus.Wire(st.traffic().stanzasIn(), st.traffic().stanzasOut(), st.traffic().bytesIn(),
                                st.traffic().bytesOut())),
                overlays, timeline.snapshot());
    }

    private List<NodeStatus.Traffic> trafficOf(String overlay, long now) {
        Measured m = trafficSnapshot.get(overlay);
        if (m == null) {
            return List.of();
        }
        List<NodeStatus.Traffic> out = new ArrayList<>();
        m.bytesPerSecond().forEach((peer, rate) -> out.add(new NodeStatus.Traffic(peer.toString(), Math.round(rate * 10) / 10.0,
                (now - m.atMillis()) / 1000)));
        out.sort(java.util.Comparator.comparingDouble(NodeStatus.Traffic::bytesPerSecond).reversed());
        return out;
    }

    private String jidOf(NodeId node) {
        return peersByJid.values().stream().filter(p -> p.node().equals(node)).map(Peer::jid).findFirst().orElse(null);
    }

    @Override
    public void close() {
        try {
            control.submit(() -> managers.values().forEach(LinkManager::closeAll)).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("closing links: {}", e.toString());
        }
        control.shutdownNow();
        if (reporter != null) {
            reporter.close();
        }
        if (status != null) {
            status.close();
        }
        if (signaling != null) {
            signaling.close();
        }
        if (agent != null) {
            agent.close();
        }
        if (controller != null) {
            controller.close();
        }
    }
}
