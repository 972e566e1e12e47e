package org.symphonet.ofcontroller;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import org.projectfloodlight.openflow.protocol.OFFlowRemoved;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFFlowRemovedReason;
import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.OFPortReason;
import org.projectfloodlight.openflow.protocol.OFPortStatus;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFMetadata;
import org.projectfloodlight.openflow.types.OFPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.symphonet.ofcontroller.discovery.PortInfo;
import org.symphonet.ofcontroller.discovery.ProbeCodec;
import org.symphonet.ofcontroller.discovery.SwitchObserver;
import org.symphonet.ofcontroller.flood.Adjacency;
import org.symphonet.ofcontroller.flood.BoundRule;
import org.symphonet.ofcontroller.flood.Frb;
import org.symphonet.ofcontroller.flood.FrbCodec;
import org.symphonet.ofcontroller.flood.FrbType;
import org.symphonet.ofcontroller.flood.FloodEngine;
import org.symphonet.ofcontroller.flood.FloodSink;
import org.symphonet.ofcontroller.flood.RingRoute;
import org.symphonet.ofcontroller.learning.ArpBindings;
import org.symphonet.ofcontroller.learning.ArpFloodHold;
import org.symphonet.ofcontroller.learning.ArpFrame;
import org.symphonet.ofcontroller.learning.HeldMoves;
import org.symphonet.ofcontroller.learning.MacTable;
import org.symphonet.ofcontroller.metrics.BridgeCounters;
import org.symphonet.ofcontroller.pipeline.Pipeline;
import org.symphonet.ofcontroller.session.SwitchApp;
import org.symphonet.ofcontroller.session.SwitchChannel;
import org.symphonet.ofcontroller.traffic.TrafficClock;
import org.symphonet.ofcontroller.traffic.TrafficPoller;
import org.symphonet.ofcontroller.view.BridgeTopology;
import org.symphonet.ofcontroller.view.NodeId;

/**
 * The switching logic of one connected bridge: learning plus bounded flood. All methods run on the
 * bridge's session thread; nothing here blocks.
 */
final class Bridge implements FloodSink, SwitchApp {

    private static final Logger log = LoggerFactory.getLogger(Bridge.class);
    private static final int ETH_MIN = 14;
    /** Leaf announcements also go out on this period, so peers' paths to idle leaves stay known. */
    private static final int ANNOUNCE_EVERY_TICKS = 30;
    /**
     * After the links changed the announcement goes out at once and again this many ticks later: a
     * new peer whose controller did not yet know the tunnel's port took the first one without
     * learning our leaves behind it (nothing is learned on a pending tunnel port), and without the
     * repeat it would keep its old, longer way to our leaves until the periodic announcement.
     */
    private static final int REANNOUNCE_AFTER_TICKS = 2;
    /** A flood asking for one of our leaves brings our announcement forward at most this often (see {@link #announceOnRequest}). */
    static final long ANNOUNCE_ON_REQUEST_MILLIS = 5_000;
    /** When a flood last brought our announcement forward; long ago at first. */
    private long lastAnnouncedOnRequest = System.nanoTime() - ANNOUNCE_ON_REQUEST_MILLIS * 1_000_000L;
    /** A new leaf is announced this soon (new leaves arriving together share one announcement). */
    static final long ANNOUNCE_SOON_MILLIS = 50;

    /**
     * How long frames toward a MAC moving onto a direct link are held (see {@link HeldMoves}): longer
     * than a frame takes along the ring path it leaves. A ring path that carries the heavy traffic
     * queues: in the on-demand test a 100/s ping beside 20 Mbit/s of TCP crossed the 3-hop ring path
     * in 25-60 ms one way (RTT about 100 ms, against 11 ms over the direct link), and a 30-ms hold
     * still left 24 spurious retransmissions. Held frames are late, never lost, and 100 ms stays
     * below the 200-ms floor of TCP's retransmission timeout.
     */
    static final long HOLD_MILLIS = 100;
    /** Frames held per MAC at most (about 100 ms of 250 Mbit/s of full frames); later ones end the hold. */
    private static final int HOLD_MAX_FRAMES = 2048;

    /**
     * Extra probe rounds (ms after connecting) before the once-a-second ones: a lost probe or
     * answer then costs a quarter second, which lets discovery settle leaf ports after one second
     * instead of two (time to first forwarding on a fresh fabric).
     */
    private static final long[] PROBE_BURST_MILLIS = {250, 500, 750};

    private final long datapathId;
    private final String dpidHex;
    private final SwitchChannel channel;
    private final Pipeline pipeline;
    private final ControllerSettings settings;
    private final BridgeCounters counters;
    private final MacTable macs;
    /** Which bridge (node) each remote leaf MAC sits behind, from announcements and flood roots. */
    private final Map<Long, NodeId> remoteLeaves;
    /** IPv4 address to MAC, from the ARP packets this bridge sees and leaf announcements: lets it answer ARP for remote leaves. */
    private final ArpBindings arp;
    /** When a leaf's ARP request for each address this bridge could not answer was last flooded. */
    private final ArpFloodHold arpHold;
    /**
     * A leaf's ARP request for an address nobody here can answer is flooded at most once in this
     * long (a Linux leaf asks once a second): see {@link ArpFloodHold}.
     */
    static final long ARP_FLOOD_HOLD_MILLIS = 5_000;
    /** No MAC (MACs are 48 bits). */
    private static final long NO_MAC = -1L;
    /** Addresses whose requests a hold flow keeps in the switch, with when that flow times out (nanos). */
    private final Map<Integer, Long> arpHoldUntil = new HashMap<>();

    private final Map<Integer, PortInfo> ports = new HashMap<>();
    private BridgeTopology topology;
    private FloodEngine flood;
    private final Map<Integer, NodeId> peerOfPort = new HashMap<>();
    private final Map<NodeId, Integer> portOfPeer = new HashMap<>();
    private List<OFAction> toLeaves = List.of();
    private int[] leafPorts = new int[0];
    private Optional<NodeId> ringGap = Optional.empty();
    private boolean announceDue;
    private int ticksSinceAnnouncement;
    /** Ticks until the repeat of a links-changed announcement; 0 when none is pending. */
    private int reannounceIn;
    /** Ports that became peer ports since the last repeat: the repeat is for them (see {@link #onTick}). */
    private final Set<Integer> repeatFor = new HashSet<>();
    /** A peer port was lost or changed since the last repeat. */
    private boolean peersLost;
    /** An announcement may still go out before the next tick for a new leaf (see {@link #announceSoon}). */
    private boolean earlyAnnouncementLeft = true;
    /**
     * Peer ports over which their peer's own announcement has arrived since they became peer ports.
     * The first one is answered with ours at once: it proves the far bridge now takes FRBs from the
     * link, and the announcement we sent when we named the port may have reached it before that and
     * been dropped (then its way to our leaves would stay on the ring until the repeat, up to
     * {@value #REANNOUNCE_AFTER_TICKS} ticks later).
     */
    private final java.util.Set<Integer> heardOver = new java.util.HashSet<>();
    /**
     * Members whose leaf announcement has reached this bridge since they joined the view. The first
     * one from a member proves our floods can reach it now: we answer with ours at once, so a new
     * member learns our leaves as soon as it can hear them. Announcing on every change of the member
     * list instead sent most announcements before the new member had a link (32 nodes starting at
     * once: 190-820 announcements per bridge during formation).
     */
    private final Set<NodeId> heardFrom = new HashSet<>();
    /**
     * Names starting with this are tunnel ports: never leaves, even before the topology view names
     * their peer (the port reaches us first), so a new link's port carries no leaf traffic and
     * teaches us no MAC as ours in between. Null: every port the view does not name is a leaf.
     */
    private String tunnelPrefix;
    /**
     * Tunnel ports the view does not name (yet, or any more) whose FRBs the switch hands us: the far
     * end may name the link before we do (its link-up, port and view update come first), and
     * dropping its FRBs lost whole slices of broadcasts during formation (issue 16: 48k of 700k at
     * 32 nodes). Likewise a link this node closed (a shortcut no longer wanted, or a lost tunnel)
     * until its teardown deletes the port: the far end hands us slices of its floods and
     * announcements until it has heard of the close (seconds over XMPP under load), and what OVS
     * dropped there was most of the remaining table-0 losses (33k at 32 nodes). Nothing learned
     * over them, nothing flooded into them.
     */
    private final Set<Integer> pendingPorts = new HashSet<>();
    private boolean tableFullReported;
    private final Runnable onDisconnect;
    /** Told about ports and probes; sends nothing unless it discovers the topology. */
    private final SwitchObserver observer;
    /** Live ports whose role discovery has not settled: nothing is flooded to them, what they bring is dropped. */
    private final java.util.Set<Integer> unclassified = new java.util.HashSet<>();
    private final HeldMoves held = new HeldMoves(HOLD_MAX_FRAMES);
    /**
     * MACs whose held frames went out but whose flow waits for the barrier of their xid (or whose
     * flow just went in, behind frames the switch had sent us before it did): see {@link #release}
     * and {@link #drained}. Frames toward them still come to us and go straight on, in arrival order.
     */
    private final Map<Long, Drain> draining = new HashMap<>();

    /**
     * One released move's barrier toward {@code port}: sent at {@code sentNanos}; {@code releasedNanos}
     * when its held frames went out; {@code flowIn} once its flow was sent (no barrier then: the
     * drain settles for {@link #SETTLE_MILLIS}).
     */
    private record Drain(long xid, int port, long sentNanos, long releasedNanos, int rounds, boolean flowIn) {
    }

    /**
     * A move's flow goes in only when a drain barrier came back within this: the switch and this
     * controller are then not behind each other, and the frames the switch sends us between its
     * answer and the flow-mod (which the flow's later frames overtake on the direct link) are a
     * round trip's worth. Behind by tens of milliseconds, as on a loaded machine, those were 50-100
     * segments of a 20 Mbit/s stream, each a spurious TCP retransmission (issue 15).
     */
    static final long CAUGHT_UP_NANOS = 2_000_000;
    /** After this long draining through the controller the flow goes in anyway (frames are late, never lost). */
    static final long MAX_DRAIN_NANOS = 250_000_000;
    /**
     * How long after a move's flow went in frames toward the MAC that still reach us go straight on
     * without a flow-mod each. The switch applies the flow-mod at once, but its datapath keeps the
     * hold flow's cached megaflow (frames to us) until its revalidator threads replace it: a
     * capture saw 80 frames reach us in the 1.4 ms after the switch had answered the barrier behind
     * the flow-mod, and a flow-mod for each made it revalidate again and again.
     */
    static final long SETTLE_MILLIS = 250;
    /** When the last frame toward a draining MAC reached us (any MAC: moves are rare and one at a time). */
    private long lastDrainFrame = Long.MIN_VALUE;
    /** The clock of the drain's round trips (a test sets its own). */
    private java.util.function.LongSupplier clock = System::nanoTime;
    private long nextDrainXid = DRAIN_XID_BASE;
    /** Barrier xids of draining moves (the switch answers a barrier with its xid): "HLD" in the top bits. */
    private static final long DRAIN_XID_BASE = 0x484c_4400L;
    /**
     * Remote MACs whose frames a flow sends one hop along the ring (see {@link #ringRoute}), by the
     * port it outputs to. Not learned: the first FRB that teaches such a MAC's way replaces the
     * flow. Without the flow each of its frames was a packet-in at every hop until then.
     */
    private final Map<Long, Integer> ringFlows = new HashMap<>();
    /** Measures traffic toward remote nodes for on-demand links (its poller's clock); null when nobody listens. */
    private TrafficClock traffic;

    Bridge(long datapathId, SwitchChannel channel, Pipeline pipeline, ControllerSettings settings, BridgeCounters counters,
           SwitchObserver observer, Runnable onDisconnect) {
        this.datapathId = datapathId;
        this.observer = observer;
        this.onDisconnect = onDisconnect;
        this.dpidHex = String.format("%016x", datapathId);
        this.channel = channel;
        this.pipeline = pipeline;
        this.settings = settings;
        this.counters = counters;
        this.macs = new MacTable(settings.macTableCapacity(), counters.macsEvicted);
        int remoteCapacity = settings.macTableCapacity();
        this.arp = new ArpBindings(remoteCapacity, settings.macIdleTimeoutSeconds() * 1_000_000_000L);
        this.arpHold = new ArpFloodHold(remoteCapacity, ARP_FLOOD_HOLD_MILLIS * 1_000_000L);
        this.remoteLeaves = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, NodeId> eldest) {
                return size() > remoteCapacity;
            }
        };
    }

    /** Reports bytes/s toward each remote node every {@code periodMillis}; call before {@link #start}. */
    void measureTraffic(long periodMillis, org.symphonet.ofcontroller.traffic.TrafficListener listener) {
        traffic = new TrafficClock(new TrafficPoller(datapathId, pipeline.factory(), Pipeline.FORWARD,
                TrafficPoller.ticksOf(periodMillis), listener, remoteLeaves::get, Pipeline.LEARN), channel);
    }

    /** Ports named {@code prefix...} are tunnel ports, peer ports once the view names their peer; call before {@link #start}. */
    void tunnelPorts(String prefix) {
        tunnelPrefix = prefix == null || prefix.isEmpty() ? null : prefix;
    }

    /** A tunnel port the view does not name (yet, or any more): neither leaf nor peer. */
    private boolean pendingTunnel(int port) {
        if (tunnelPrefix == null || peerOfPort.containsKey(port)) {
            return false;
        }
        PortInfo p = ports.get(port);
        return p != null && p.name().startsWith(tunnelPrefix);
    }

    /**
     * Whether FRBs from this port are taken: from peer ports, and from tunnel ports the view does
     * not name yet. The bound rule does not need the sender to be our peer: the FRB's bound says
     * which slice of the ring we cover, and we hand it on only to our own peers inside it.
     */
    private boolean takesFrbs(int port) {
        return peerOfPort.containsKey(port) || pendingPorts.contains(port);
    }

    /** Takes the switch over: wipes what it holds, installs the defaults and this bridge's state. */
    void start(List<OFPortDesc> portDescs, BridgeTopology topology) {
        for (OFPortDesc d : portDescs) {
            PortInfo p = PortInfo.of(d);
            if (p != null) {
                ports.put(p.number(), p);
            }
        }
        channel.send(pipeline.deleteAll());
        channel.send(pipeline.factory().buildGroupDelete().setGroup(org.projectfloodlight.openflow.types.OFGroup.ALL)
                .setGroupType(org.projectfloodlight.openflow.protocol.OFGroupType.ALL).build());
        pipeline.defaults().forEach(channel::send);
        applyTopology(topology);
        sendProbes();
        for (long ms : PROBE_BURST_MILLIS) {
            channel.schedule(ms, this::sendProbes);
        }
        if (traffic != null) {
            traffic.start();
        }
        channel.send(pipeline.factory().buildBarrierRequest().build());
        channel.flush();
        log.info("bridge {} in service: {} ports, node {}", dpidHex, ports.size(),
                topology == null ? "none (plain learning switch)" : topology.self());
    }

    /** The topology view changed for this bridge (or the bridge left it: {@code null}). */
    void applyTopology(BridgeTopology next) {
        Map<Integer, NodeId> oldPeers = new HashMap<>(peerOfPort);
        this.topology = next;
        peerOfPort.clear();
        portOfPeer.clear();
        java.util.Set<Integer> wasUnclassified = java.util.Set.copyOf(unclassified);
        unclassified.clear();
        List<Integer> leaves = new ArrayList<>();
        for (PortInfo p : ports.values()) {
            NodeId peer = next == null ? null : next.peerPorts().get(p.name());
            if (next != null && next.unclassifiedPorts().contains(p.name())) {
                if (p.live()) {
                    unclassified.add(p.number());
                }
            } else if (peer != null && !peer.equals(next.self())) {
                if (p.live()) {
                    peerOfPort.put(p.number(), peer);
                    portOfPeer.put(peer, p.number());
                }
            } else if (p.live() && (tunnelPrefix == null || !p.name().startsWith(tunnelPrefix))) {
                leaves.add(p.number());
            }
        }
        // A peer port that left the view while still on the switch is pending again (see pendingPorts).
        Set<Integer> wasPending = Set.copyOf(pendingPorts);
        pendingPorts.clear();
        for (PortInfo p : ports.values()) {
            if (next != null && p.live() && pendingTunnel(p.number()) && !unclassified.contains(p.number())) {
                pendingPorts.add(p.number());
            }
        }
        int[] wereLeaves = leafPorts;
        leafPorts = leaves.stream().mapToInt(Integer::intValue).sorted().toArray();
        List<OFAction> actions = new ArrayList<>(leafPorts.length);
        for (int lp : leafPorts) {
            actions.add(pipeline.output(OFPort.of(lp)));
        }
        toLeaves = List.copyOf(actions);
        if (!java.util.Arrays.equals(wereLeaves, leafPorts)) {
            if (!arpHoldUntil.isEmpty()) {
                channel.send(pipeline.releaseAllArp()); // they output to the old leaf ports; requests come to us again
                arpHoldUntil.clear();
            }
            for (int p : wereLeaves) {
                if (java.util.Arrays.binarySearch(leafPorts, p) < 0) {
                    channel.send(pipeline.removeLeaf(OFPort.of(p)));
                }
            }
            for (int p : leafPorts) {
                if (java.util.Arrays.binarySearch(wereLeaves, p) < 0) {
                    channel.send(pipeline.frbFromLeaf(OFPort.of(p)));
                }
            }
        }

        // FRBs are only taken from ports that lead to peers; a port that changed role loses what it learned.
        for (var e : oldPeers.entrySet()) {
            if (!e.getValue().equals(peerOfPort.get(e.getKey()))) {
                if (pendingPorts.contains(e.getKey())) {
                    channel.send(pipeline.removePeerTraffic(OFPort.of(e.getKey()))); // its FRBs are still taken
                } else {
                    pipeline.removePeer(OFPort.of(e.getKey())).forEach(channel::send);
                }
                forgetPort(e.getKey());
            }
        }
        for (int p : unclassified) {
            if (!wasUnclassified.contains(p) && !oldPeers.containsKey(p)) {
                forgetPort(p); // it was a leaf port: what was learned behind it may be a whole fabric's MACs
            }
        }
        heardOver.removeIf(p -> !oldPeers.containsKey(p) || !oldPeers.get(p).equals(peerOfPort.get(p)));
        for (int p : pendingPorts) {
            if (!wasPending.contains(p) && !oldPeers.containsKey(p)) {
                channel.send(pipeline.frbFromPeer(OFPort.of(p)));
            }
        }
        for (int p : wasPending) {
            if (!pendingPorts.contains(p) && !peerOfPort.containsKey(p)) {
                pipeline.removePeer(OFPort.of(p)).forEach(channel::send); // gone, down or dropped
            }
        }
        for (var e : peerOfPort.entrySet()) {
            if (!e.getValue().equals(oldPeers.get(e.getKey()))) {
                channel.send(pipeline.frbFromPeer(OFPort.of(e.getKey())));
                channel.send(pipeline.peerTraffic(OFPort.of(e.getKey())));
                if (oldPeers.get(e.getKey()) == null) {
                    forgetPort(e.getKey());
                }
            }
        }

        if (next == null) {
            flood = null;
            ringGap = Optional.empty();
            return;
        }
        Adjacency adj = new Adjacency(next.self(), List.copyOf(peerOfPort.values()), next.members(), next.plan());
        if (flood == null) {
            flood = new FloodEngine(adj, this, counters, settings.frbHopLimit(), ThreadLocalRandom.current().nextLong());
        } else {
            flood.setAdjacency(adj);
        }
        checkRingGap(adj, next.members());
        heardFrom.retainAll(next.members()); // one that leaves and comes back is new again
        if (!peerOfPort.equals(oldPeers)) {
            // A new link carries traffic once the far bridge hears our announcement over it: send
            // it now, not at the next tick (the caller flushes), and once more shortly after.
            Set<NodeId> added = new HashSet<>();
            for (var e : peerOfPort.entrySet()) {
                if (!e.getValue().equals(oldPeers.get(e.getKey()))) {
                    repeatFor.add(e.getKey());
                    added.add(e.getValue());
                }
            }
            boolean lost = !peerOfPort.entrySet().containsAll(oldPeers.entrySet());
            peersLost |= lost;
            if (lost) {
                announce(); // ways through the lost link are gone: every bridge learns ours anew
            } else {
                announceOver(added); // only the new links' slices need the new ways (see FloodEngine#announceOver)
            }
            reannounceIn = REANNOUNCE_AFTER_TICKS;
        }
    }

    private void checkRingGap(Adjacency adj, java.util.Set<NodeId> members) {
        Optional<NodeId> gap = adj.plan().needsSuccessorLinks()
                ? BoundRule.ringGap(adj.self(), adj.peers(), members) : Optional.empty();
        if (gap.isPresent() && !gap.equals(ringGap)) {
            counters.ringGaps.increment();
            log.warn("ring gap at bridge {} (node {}): member {} lies before its first peer clockwise and will miss"
                    + " broadcasts until a link to it is up", dpidHex, adj.self(), gap.get());
        } else if (gap.isEmpty() && ringGap.isPresent()) {
            log.info("ring gap at bridge {} (node {}) closed", dpidHex, adj.self());
        }
        ringGap = gap;
    }

    void onPacketIn(OFPacketIn pi) {
        counters.packetIns.increment();
        byte[] frame = pi.getData();
        if (frame.length < ETH_MIN) {
            return;
        }
        OFPort inPort = pi.getMatch().get(MatchField.IN_PORT);
        if (inPort == null) {
            return;
        }
        int in = inPort.getPortNumber();
        int etherType = ((frame[12] & 0xff) << 8) | (frame[13] & 0xff);
        if (etherType == ProbeCodec.ETHERTYPE) {
            counters.probesReceived.increment();
            if (observer.probeReceived(datapathId, in, frame)) {
                sendProbe(in);
            }
            return;
        }
        if (unclassified.contains(in)) {
            // Its role is not known yet: it may lead back into the fabric, so nothing it brings goes on.
            counters.unclassifiedDrops.increment();
            return;
        }
        if (etherType == FrbCodec.ETHERTYPE) {
            if (flood != null && takesFrbs(in)) {
                if (!peerOfPort.containsKey(in)) {
                    counters.frbFromPendingPort.increment();
                }
                flood.receive(frame, in, System.nanoTime());
            } else {
                counters.frbMalformed.increment();
                counters.frbOffPeer.increment();
                if (counters.frbOffPeer.sum() <= 8) {
                    PortInfo p = ports.get(in);
                    log.info("bridge {}: FRB from port {} ({}), not a peer port now{}; {} bytes", dpidHex, in,
                            p == null ? "unknown" : p.name(), flood == null ? " (no topology)" : "", frame.length);
                }
            }
            return;
        }
        if (pendingTunnel(in)) {
            return; // a tunnel port the view does not name yet: not a leaf, not yet a peer
        }
        boolean notifyOnly = pi.getTableId().equals(Pipeline.NOTIFY);
        if (!peerOfPort.containsKey(in)) {
            learn(MacTable.macAt(frame, 6), in, notifyOnly || sourceUnknownToSwitch(pi));
        }
        Optional<ArpFrame> arpFrame = etherType == ArpFrame.ETHERTYPE ? ArpFrame.parse(frame) : Optional.empty();
        if (arpFrame.isPresent() && arp.learn(arpFrame.get(), System.nanoTime()) && !peerOfPort.containsKey(in)) {
            announceDue = true; // a local leaf's address is news: other bridges answer ARP for it once told
            announceSoon();
        }
        if (notifyOnly) {
            return; // the forwarding table already output the frame
        }
        if (arpFrame.isPresent() && !peerOfPort.containsKey(in)
                && (answerArp(arpFrame.get(), frame, in) || holdArp(arpFrame.get(), frame, in))) {
            return;
        }
        forward(frame, in);
    }

    private static boolean sourceUnknownToSwitch(OFPacketIn pi) {
        OFMetadata md = pi.getMatch().get(MatchField.METADATA);
        return md != null && (md.getValue().getValue() & Pipeline.UNKNOWN_SOURCE.getValue().getValue()) != 0;
    }

    private void forward(byte[] frame, int in) {
        long dst = MacTable.macAt(frame, 0);
        if (held.isHeld(dst)) {
            if (held.offer(dst, in, frame)) {
                return;
            }
            release(dst); // its buffer is full: the move ends now, this frame goes after the held ones
        }
        Drain drain = draining.get(dst);
        if (drain != null) {
            int out = macs.portOf(dst);
            if (out == drain.port() && ports.containsKey(out)) {
                // Behind the held frames, ahead of any the new flow will forward: straight on, no
                // flow-mod (out with the read batch: flushed one by one, 32 frames took 4 ms).
                if (out != in) {
                    channel.send(pipeline.packetOut(OFPort.of(in), List.of(pipeline.output(OFPort.of(out))), frame));
                }
                lastDrainFrame = clock.getAsLong();
                return;
            }
            draining.remove(dst); // its link went, or it was learned elsewhere: the normal way below
        }
        if (!MacTable.isGroup(dst)) {
            int out = macs.portOf(dst);
            if (out != MacTable.UNKNOWN && ports.containsKey(out)) {
                if (out != in) {
                    installDestination(MacAddress.of(dst), dst, out, settings.macIdleTimeoutSeconds());
                    channel.send(pipeline.packetOut(OFPort.of(in), List.of(pipeline.output(OFPort.of(out))), frame));
                }
                return;
            }
        }
        if (peerOfPort.containsKey(in)) {
            // Unknown destination arriving as plain unicast from a peer: a sender ahead of us still
            // had a path through us that we lost (a link changed). Pass it on toward the bridge its
            // leaf sits behind rather than drop it until that bridge's next announcement; if that
            // bridge is not known, only our own leaves can be meant.
            if (!MacTable.isGroup(dst) && ringRoute(frame, dst, in)) {
                return;
            }
            deliverToLeaves(frame, in);
            return;
        }
        if (!MacTable.isGroup(dst) && ringRoute(frame, dst, in)) {
            // A leaf's unicast toward a remote leaf whose bridge we know but whose learned path is
            // gone (a link changed under it): one hop along the ring, not a flood to every bridge
            // (at 32 nodes each such ping was a wave of up to 31 FRBs and packet-ins).
            return;
        }
        deliverToLeaves(frame, in);
        if (flood != null) {
            countFlood(frame, dst);
            flood.originate(frame);
        }
    }

    /** Which kind of frame a flood carries (counters only: where formation's flood load comes from). */
    private void countFlood(byte[] frame, long dst) {
        if (((frame[12] & 0xff) << 8 | (frame[13] & 0xff)) == ArpFrame.ETHERTYPE) {
            counters.floodsArp.increment();
        }
        if (!MacTable.isGroup(dst)) {
            counters.floodsUnknownUnicast.increment();
            NodeId root = remoteLeaves.get(dst);
            if (root != null && topology != null && topology.members().contains(root)) {
                counters.floodsUnicastKnownBridge.increment();
            }
        }
    }

    /**
     * Answers a leaf's broadcast ARP request for a remote leaf whose address and path this bridge
     * knows, instead of flooding it to every bridge (see {@link ArpBindings}). Requests for local
     * or unknown leaves, probes and gratuitous ARP take the normal way.
     */
    private boolean answerArp(ArpFrame request, byte[] frame, int in) {
        if (!MacTable.isGroup(MacTable.macAt(frame, 0)) || !request.answerableRequest()) {
            return false;
        }
        long mac = answerable(request.targetIp(), System.nanoTime());
        if (mac == NO_MAC || mac == request.senderMac()) {
            return false;
        }
        counters.arpAnswered.increment();
        channel.send(pipeline.packetOut(OFPort.CONTROLLER, List.of(pipeline.output(OFPort.of(in))),
                request.replyFrom(mac)));
        return true;
    }

    /**
     * The MAC of the remote leaf holding {@code ip} when this bridge knows it and a way to it
     * (learned over a peer, or, the learned one lost to a link change, along the ring);
     * {@link #NO_MAC} otherwise.
     */
    private long answerable(int ip, long now) {
        var owner = arp.macOf(ip, now);
        if (owner.isEmpty()) {
            return NO_MAC;
        }
        long mac = owner.getAsLong();
        if (!peerOfPort.containsKey(macs.portOf(mac)) && (macs.portOf(mac) != MacTable.UNKNOWN || ringHop(mac) == null)) {
            return NO_MAC;
        }
        return mac;
    }

    /**
     * Keeps a leaf's broadcast ARP request that {@link #answerArp} could not answer from the other
     * bridges when one for the same address was flooded less than {@link #ARP_FLOOD_HOLD_MILLIS}
     * ago (see {@link ArpFloodHold}); the local leaves still get it. False when it is to be flooded.
     */
    private boolean holdArp(ArpFrame request, byte[] frame, int in) {
        if (!MacTable.isGroup(MacTable.macAt(frame, 0)) || !request.answerableRequest()) {
            return false;
        }
        long now = System.nanoTime();
        if (arpHold.mayFlood(request.targetIp(), now)) {
            if (flood != null) {
                holdArpInSwitch(request.targetIp(), now); // ahead of the flood's packet-out, which the caller sends
            }
            return false;
        }
        counters.arpFloodsHeld.increment();
        deliverToLeaves(frame, in);
        return true;
    }

    /**
     * The switch keeps further broadcast requests for {@code ip} to the local leaves for the hold
     * (see {@link Pipeline#holdArp}): a Linux leaf asks each unresolved neighbour once a second,
     * and at 32 nodes starting at once the held requests were still 30k packet-ins, each answered
     * by nothing. {@link #releaseArpHolds} takes the flow back as soon as this bridge can answer.
     */
    private void holdArpInSwitch(int ip, long now) {
        counters.arpHoldFlows.increment();
        channel.send(pipeline.holdArp(ip, toLeaves, (int) (ARP_FLOOD_HOLD_MILLIS / 1000)));
        arpHoldUntil.put(ip, now + ARP_FLOOD_HOLD_MILLIS * 1_000_000L);
    }

    /**
     * Deletes the hold flows of addresses this bridge can answer now (an announcement brought their
     * owner and a way to it) and forgets those the switch has timed out: the leaf's next request
     * (within a second) reaches us and is answered, not kept until the hold ends.
     */
    private void releaseArpHolds(long now) {
        if (arpHoldUntil.isEmpty()) {
            return;
        }
        var it = arpHoldUntil.entrySet().iterator();
        while (it.hasNext()) {
            var e = it.next();
            if (now - e.getValue() >= 0) {
                it.remove();
            } else if (answerable(e.getKey(), now) != NO_MAC) {
                channel.send(pipeline.releaseArp(e.getKey()));
                it.remove();
            }
        }
    }

    /** Sends the frame one hop toward the bridge of {@code dst} by {@link RingRoute}; false if there is no such hop. */
    private boolean ringRoute(byte[] frame, long dst, int in) {
        Integer out = ringHop(dst);
        if (out == null || out == in) {
            return false;
        }
        counters.ringRouted.increment();
        if (!Integer.valueOf(out).equals(ringFlows.get(dst))) {
            // Its next frames take the same hop in the switch (the hop obeys the learned paths' order,
            // so mixing them loops nothing); ahead of the packet-out, so no later frame overtakes it.
            ringFlows.put(dst, out);
            channel.send(pipeline.learnedDestination(MacAddress.of(dst), OFPort.of(out), settings.macIdleTimeoutSeconds()));
        }
        channel.send(pipeline.packetOut(OFPort.of(in), List.of(pipeline.output(OFPort.of(out))), frame));
        return true;
    }

    /** The peer port one hop toward the bridge a remote leaf sits behind by {@link RingRoute}; null if none. */
    private Integer ringHop(long dst) {
        NodeId root = remoteLeaves.get(dst);
        if (root == null || topology == null || !topology.members().contains(root)) {
            return null;
        }
        return RingRoute.nextHop(topology.self(), root, portOfPeer.keySet()).map(portOfPeer::get).orElse(null);
    }

    /** Sends a frame to every leaf port but the one it came in on. */
    private void deliverToLeaves(byte[] frame, int in) {
        List<OFAction> actions = toLeaves;
        int self = java.util.Arrays.binarySearch(leafPorts, in);
        if (self >= 0) {
            // Copy only when the frame came from a leaf: FRB deliveries (from peers) use the shared list.
            List<OFAction> others = new ArrayList<>(actions.size() - 1);
            for (int i = 0; i < leafPorts.length; i++) {
                if (i != self) {
                    others.add(actions.get(i));
                }
            }
            actions = others;
        }
        if (!actions.isEmpty()) {
            channel.send(pipeline.packetOut(OFPort.of(in), actions, frame));
        }
    }

    /**
     * Records {@code mac} on {@code port} and installs its flows when it is new, moved, or when the
     * switch asked about it although we knew it (its flows were gone).
     */
    private void learn(long mac, int port, boolean switchAsked) {
        if (MacTable.isGroup(mac) || mac == 0) {
            return;
        }
        int before = macs.learn(mac, port);
        if (before == port && !switchAsked) {
            return;
        }
        if (before == MacTable.UNKNOWN && !macs.contains(mac)) {
            // Table full of MACs that all have flows: keep flooding rather than grow without bound,
            // and say so (once per filling).
            counters.macTableFull.increment();
            if (!tableFullReported) {
                tableFullReported = true;
                log.warn("bridge {}: MAC table full ({} entries, every one with a flow); new MACs are flooded, not"
                        + " learned, until entries expire (--mac-table-capacity)", dpidHex, macs.size());
            }
            return;
        }
        if (tableFullReported && macs.size() < settings.macTableCapacity() / 10 * 9) {
            tableFullReported = false;
        }
        MacAddress m = MacAddress.of(mac);
        boolean leaf = !peerOfPort.containsKey(port);
        int idle = settings.macIdleTimeoutSeconds();
        if (before == MacTable.UNKNOWN) {
            // First sighting: no flow yet. Flows cost the switch more than the packet-ins they save
            // for a MAC that never sends again or is never sent to (a source flow makes OVS's
            // megaflows match exact sources): the way to it is installed by the first frame toward
            // it (forward), its source flow by its own next frame. Until then onTick ages it.
            counters.macsLearned.increment();
            macs.flowless(mac, System.nanoTime());
            if (ringFlows.remove(mac) != null) {
                installDestination(m, mac, port, idle); // its frames took the ring hop's flow: the learned way now
            }
        } else if (before != port) {
            counters.macMoves.increment();
            channel.send(pipeline.forgetSource(m));
            if (leaf) {
                installSource(m, mac, port, idle);
            }
            installDestination(m, mac, port, idle);
        } else if (leaf) {
            // Seen again as an unknown source: it keeps sending, so stop asking about it. If its
            // source flow was there already, the switch lost flows: put both back.
            if (macs.hasSourceFlow(mac)) {
                installDestination(m, mac, port, idle);
            }
            installSource(m, mac, port, idle);
        } else {
            installDestination(m, mac, port, idle);
        }
        if (leaf && before != port) {
            announceDue = true;
            remoteLeaves.remove(mac);
            announceSoon();
        }
    }

    private void installDestination(MacAddress m, long mac, int port, int idle) {
        channel.send(pipeline.learnedDestination(m, OFPort.of(port), idle));
        macs.flowInstalled(mac);
        // Traffic toward a remote node's leaf just started: measure it soon, not at the next poll.
        if (traffic != null && remoteLeaves.containsKey(mac)) {
            traffic.flowInstalled();
        }
    }

    /** Peer ports never get one: their frames skip the learning table (see {@link Pipeline}). */
    private void installSource(MacAddress m, long mac, int port, int idle) {
        channel.send(pipeline.learnedSource(OFPort.of(port), m, idle));
        macs.sourceFlowInstalled(mac);
    }

    void onFlowRemoved(OFFlowRemoved fr) {
        if (fr.getReason() != OFFlowRemovedReason.IDLE_TIMEOUT) {
            return;
        }
        if (fr.getTableId().equals(Pipeline.FORWARD)) {
            // Nobody sent to it for the idle time; if it never sent twice either, it is gone.
            MacAddress dst = fr.getMatch().get(MatchField.ETH_DST);
            if (dst != null) {
                ringFlows.remove(dst.getLong());
            }
            if (dst != null && macs.contains(dst.getLong()) && !macs.hasSourceFlow(dst.getLong())) {
                macs.forget(dst.getLong());
            }
            return;
        }
        if (!fr.getTableId().equals(Pipeline.LEARN)) {
            return;
        }
        MacAddress mac = fr.getMatch().get(MatchField.ETH_SRC);
        OFPort port = fr.getMatch().get(MatchField.IN_PORT);
        if (mac == null || port == null) {
            return;
        }
        long m = mac.getLong();
        if (macs.portOf(m) == port.getPortNumber()) {
            macs.forget(m);
            channel.send(pipeline.forgetDestination(mac));
            channel.flush();
        }
    }

    void onPortStatus(OFPortStatus ps) {
        PortInfo p = PortInfo.of(ps.getDesc());
        if (p == null) {
            return;
        }
        PortInfo before = ports.get(p.number());
        if (ps.getReason() == OFPortReason.DELETE) {
            ports.remove(p.number());
        } else {
            ports.put(p.number(), p);
        }
        boolean wasLive = before != null && before.live();
        boolean isLive = ps.getReason() != OFPortReason.DELETE && p.live();
        if (wasLive && !isLive) {
            forgetPort(p.number());
        }
        if (wasLive != isLive || ps.getReason() == OFPortReason.DELETE) {
            observer.portChanged(datapathId, p, ps.getReason() == OFPortReason.DELETE);
            if (isLive) {
                sendProbe(p.number());
                int number = p.number();
                for (long ms : PROBE_BURST_MILLIS) {
                    channel.schedule(ms, () -> {
                        PortInfo now = ports.get(number);
                        if (now != null && now.live()) {
                            sendProbe(number);
                        }
                    });
                }
            }
        }
        if (wasLive != isLive || before == null || !before.name().equals(p.name())) {
            log.info("bridge {} port {} ({}) {}", dpidHex, p.number(), p.name(),
                    ps.getReason() == OFPortReason.DELETE ? "deleted" : isLive ? "up" : "down");
            applyTopology(topology);
        }
        channel.flush();
    }

    /** Deletes the flows that read from or write to a port, and forgets the MACs behind it. */
    private void forgetPort(int port) {
        pipeline.forgetPort(OFPort.of(port)).forEach(channel::send);
        ringFlows.values().removeIf(p -> p == port); // deleted with the port's other flows
        List<Long> gone = macs.forgetPort(port);
        for (long mac : gone) {
            channel.send(pipeline.forgetDestination(MacAddress.of(mac)));
        }
    }

    @Override
    public void onMessage(OFMessage m) {
        switch (m.getType()) {
            case PACKET_IN -> onPacketIn((OFPacketIn) m);
            case PORT_STATUS -> onPortStatus((OFPortStatus) m);
            case FLOW_REMOVED -> onFlowRemoved((OFFlowRemoved) m);
            case BARRIER_REPLY -> drained(m.getXid());
            case STATS_REPLY -> {
                if (traffic != null && m instanceof org.projectfloodlight.openflow.protocol.OFStatsReply r) {
                    traffic.onStatsReply(r, System.nanoTime());
                }
            }
            default -> {
            }
        }
    }

    @Override
    public void onDisconnect() {
        onDisconnect.run();
    }

    /**
     * Once a second: forget MACs that got no flow within the idle timeout; send the leaf
     * announcement if the local leaves or the links changed.
     */
    @Override
    public void onTick() {
        earlyAnnouncementLeft = true;
        sendProbes();
        macs.expireFlowless(System.nanoTime() - settings.macIdleTimeoutSeconds() * 1_000_000_000L);
        releaseArpHolds(System.nanoTime()); // a way to an owner may have come with a flood or a link
        if (flood != null && ++ticksSinceAnnouncement >= ANNOUNCE_EVERY_TICKS) {
            announceDue = true;
        }
        if (reannounceIn > 0 && --reannounceIn == 0) {
            // Not when every new link has brought its far bridge's announcement meanwhile: each was
            // answered with ours at once (see heardOver), which the far bridge took as a peer's. At
            // 32 nodes starting at once announcements were two thirds of all FRBs (36.8k vs 17.4k
            // floods), three per link end and link change. A link lost still gets its repeat.
            repeatFor.retainAll(peerOfPort.keySet());
            if (peersLost || !heardOver.containsAll(repeatFor)) {
                announceDue = true;
            } else {
                counters.announcementRepeatsSkipped.increment();
            }
            repeatFor.clear();
            peersLost = false;
        }
        if (announceDue && flood != null) {
            announce();
            channel.flush();
        }
    }

    /** A probe out of every live port (nothing when the topology is not discovered). */
    private void sendProbes() {
        for (PortInfo p : ports.values()) {
            if (p.live()) {
                sendProbe(p.number());
            }
        }
    }

    private void sendProbe(int port) {
        byte[] probe = observer.probe(datapathId, port);
        if (probe != null) {
            channel.send(pipeline.packetOut(OFPort.CONTROLLER, List.of(pipeline.output(OFPort.of(port))), probe));
            counters.probesSent.increment();
        }
    }

    /**
     * A leaf appeared or moved: tell the other bridges within {@value #ANNOUNCE_SOON_MILLIS} ms rather
     * than at the next tick. Until they know where it is, traffic toward it is flooded through their
     * controllers and cannot be measured for an on-demand link. At most once per tick, so a churn of
     * MACs floods one extra announcement per second, not one per MAC.
     */
    private void announceSoon() {
        if (earlyAnnouncementLeft && flood != null) {
            earlyAnnouncementLeft = false;
            channel.schedule(ANNOUNCE_SOON_MILLIS, () -> {
                if (announceDue) {
                    announce();
                }
            });
        }
    }

    /** The leaf announcement now, on the slices of these peers only (the caller flushes). */
    private void announceOver(Set<NodeId> peers) {
        if (flood == null || peers.isEmpty()) {
            return;
        }
        flood.announceOver(peers, macs.macsOn(p -> !peerOfPort.containsKey(p) && !pendingTunnel(p)),
                arp.entriesOf(this::isLocalLeaf, System.nanoTime()));
    }

    /** Floods the leaf announcement now (the caller flushes). */
    private void announce() {
        if (flood == null) {
            return;
        }
        announceDue = false;
        ticksSinceAnnouncement = 0;
        // With their addresses, so every bridge answers its leaves' ARP for ours without a flood.
        // A bridge otherwise learned a leaf's address only from that leaf's own flooded ARP
        // requests, which stop once its own bridge answers them: at 32 nodes starting at once 93%
        // of the floods (55k) were ARP, each one FRB and packet-in at every bridge it reached.
        // In the announcement itself, not an FRB of their own: no more floods than before.
        flood.announce(macs.macsOn(p -> !peerOfPort.containsKey(p) && !pendingTunnel(p)),
                arp.entriesOf(this::isLocalLeaf, System.nanoTime()));
    }

    /** A MAC learned on one of this bridge's leaf ports. */
    private boolean isLocalLeaf(long mac) {
        int p = macs.portOf(mac);
        return p != MacTable.UNKNOWN && !peerOfPort.containsKey(p) && !pendingTunnel(p) && !unclassified.contains(p);
    }

    // FloodSink: called by the flood engine on this thread.

    @Override
    public void sendFrb(NodeId peer, byte[] frbFrame) {
        Integer port = portOfPeer.get(peer);
        if (port != null) {
            channel.send(pipeline.packetOut(OFPort.CONTROLLER, List.of(pipeline.output(OFPort.of(port))), frbFrame));
        }
    }

    @Override
    public void deliverLocally(Frb frb, int ingress) {
        if (frb.type() == FrbType.LEAF_ANNOUNCEMENT) {
            arp.learnEntries(frb.addresses(), this::isLocalLeaf, System.nanoTime()); // over any port: no way learned
            byte[] p = frb.payload();
            int moved = 0;
            for (int off = 0; off + 6 <= p.length; off += 6) {
                long mac = MacTable.macAt(p, off);
                remoteLeaves.put(mac, frb.root());
                // The announcement came down the root's tree: the way back is the way to its leaves.
                int before = macs.portOf(mac);
                if (!peerOfPort.containsKey(ingress)) {
                    continue; // a pending tunnel port: which bridge, yes; a way to it, not before the view names the link
                }
                if (ontoDirectLink(before, ingress, frb.root()) && macs.hasFlow(mac)) {
                    holdMove(mac, ingress);
                } else {
                    learn(mac, ingress, false);
                }
                if (before != MacTable.UNKNOWN && before != ingress && macs.portOf(mac) == ingress) {
                    moved++;
                }
            }
            releaseArpHolds(System.nanoTime()); // its leaves' addresses may be answerable here now
            boolean newMember = heardFrom.add(frb.root());
            if (frb.root().equals(peerOfPort.get(ingress)) && heardOver.add(ingress)) {
                announceOver(Set.of(frb.root())); // the far bridge takes FRBs from this link now: see heardOver
            } else if (newMember) {
                announceDue = true; // a member new to us: see heardFrom
                announceSoon();
            }
            if (moved > 0) {
                // Switch-overs (an on-demand link taking a node's traffic, or giving it back) are worth a line.
                log.info("bridge {}: {} leaf MAC(s) of node {} now reached over port {}", dpidHex, moved,
                        frb.root().shortHex(), ingress);
            }
            return;
        }
        byte[] inner = frb.payload();
        counters.frbDelivered.increment();
        Optional<ArpFrame> innerArp = ArpFrame.parse(inner);
        innerArp.ifPresent(a -> arp.learn(a, System.nanoTime())); // a remote leaf's address
        deliverToLeaves(inner, ingress);
        if (asksForOurLeaf(inner, innerArp)) {
            announceOnRequest();
        }
        long src = MacTable.macAt(inner, 6);
        // The source sits behind the root; learning it on the ingress port builds the way back
        // (not on a pending tunnel port: it would pass for a leaf port there).
        if (peerOfPort.containsKey(ingress)) {
            learn(src, ingress, false);
        }
        if (!MacTable.isGroup(src)) {
            remoteLeaves.put(src, frb.root());
        }
    }

    /**
     * True when a flood asks for one of this bridge's leaves: unicast to it, or an ARP request for its
     * address. Its root did not know where that leaf is, or would have sent the frame on its learned
     * way or answered the request itself: our announcement did not reach it (lost, or sent before the
     * two could hear each other), and until the next one each of its leaf's frames toward ours is a
     * flood to every bridge.
     */
    private boolean asksForOurLeaf(byte[] inner, Optional<ArpFrame> innerArp) {
        long dst = MacTable.macAt(inner, 0);
        if (!MacTable.isGroup(dst)) {
            return isLocalLeaf(dst);
        }
        if (innerArp.isEmpty() || !innerArp.get().answerableRequest()) {
            return false;
        }
        var owner = arp.macOf(innerArp.get().targetIp(), System.nanoTime());
        return owner.isPresent() && isLocalLeaf(owner.getAsLong());
    }

    /**
     * Announces our leaves (with their addresses) soon because a flood asked for one of them (see
     * {@link #asksForOurLeaf}); at most once per {@link #ANNOUNCE_ON_REQUEST_MILLIS}: one
     * announcement reaches every bridge, and a root that keeps asking meanwhile is answered by the
     * next.
     */
    private void announceOnRequest() {
        long now = System.nanoTime();
        if (flood == null || now - lastAnnouncedOnRequest < ANNOUNCE_ON_REQUEST_MILLIS * 1_000_000L) {
            return;
        }
        lastAnnouncedOnRequest = now;
        counters.announcementsOnRequest.increment();
        announceDue = true;
        announceSoon();
    }

    /**
     * True when a remote MAC known on peer port {@code before} is now announced over {@code ingress},
     * a link straight to the bridge it sits behind: its traffic moves onto a shorter path.
     */
    private boolean ontoDirectLink(int before, int ingress, NodeId root) {
        NodeId was = peerOfPort.get(before);
        return before != ingress && was != null && !was.equals(root) && root.equals(peerOfPort.get(ingress));
    }

    /**
     * Moves a remote MAC's flow onto a shorter path without overtaking its own frames: the switch
     * sends frames toward it to us for {@link #HOLD_MILLIS}, while those already on the old path
     * arrive; then we send the held ones on in order and point its flow at the new port.
     */
    private void holdMove(long mac, int port) {
        macs.learn(mac, port);
        counters.macMoves.increment();
        if (held.hold(mac)) {
            channel.send(pipeline.holdDestination(MacAddress.of(mac)));
            channel.schedule(HOLD_MILLIS, () -> release(mac));
        }
    }

    /**
     * Ends a {@link #holdMove}: the held frames go out on the MAC's port now; its flow points there
     * once the switch has answered a barrier sent behind them. Frames the hold flow sends us in the
     * meantime (the switch queued them toward us while it worked through the packet-outs, or its
     * datapath still used the hold's cached flow) go straight on as they come. Installed at once,
     * the flow let later frames overtake those: in the on-demand test about 120 segments that
     * reached the controller during the release arrived behind newer ones sent the direct way, and
     * the sender retransmitted 100-130 segments that were never lost.
     */
    private void release(long mac) {
        List<HeldMoves.Frame> frames = held.release(mac);
        MacAddress m = MacAddress.of(mac);
        int port = macs.portOf(mac);
        if (port == MacTable.UNKNOWN || !ports.containsKey(port)) {
            // The link went meanwhile (its MACs were forgotten): so do the frames held for it.
            channel.send(pipeline.forgetDestination(m));
            return;
        }
        List<OFAction> out = List.of(pipeline.output(OFPort.of(port)));
        for (HeldMoves.Frame f : frames) {
            channel.send(pipeline.packetOut(OFPort.of(f.inPort()), out, f.data()));
        }
        drainBarrier(mac, port, clock.getAsLong(), 0);
    }

    private void drainBarrier(long mac, int port, long releasedNanos, int rounds) {
        long xid = nextDrainXid;
        nextDrainXid = DRAIN_XID_BASE | ((nextDrainXid + 1) & 0xff);
        channel.send(pipeline.factory().buildBarrierRequest().setXid(xid).build());
        channel.flush(); // the round trip is measured from here, not from the end of the read batch
        draining.put(mac, new Drain(xid, port, clock.getAsLong(), releasedNanos, rounds, false));
    }

    /**
     * A drain barrier came back: the frames the switch sent us before it are out. The flow goes in
     * now only if the barrier came back quickly: every frame toward the MAC that the switch sends us
     * until it applies the flow-mod is overtaken by the flow's own frames on the direct link, and a
     * slow answer means the switch or this controller is behind, with that many frames in between
     * (captures: 98 segments of a 20 Mbit/s stream sent on 23-120 ms after the flow-mod, 99 spurious
     * retransmissions). Then one more barrier, until the round trip is short or
     * {@link #MAX_DRAIN_NANOS} passed; and only after a round trip in which no frame toward a draining
     * MAC reached us: the switch's datapath keeps its cached hold megaflow (action
     * userspace(controller)) for a while after the flow-mod, until its revalidators replace it, and
     * frames it sends us then are overtaken too (a capture: 32 frames of a TCP burst that started
     * 0.5 ms after the flow-mod). A lull makes such a burst less likely. Then {@link #SETTLE_MILLIS}
     * follow in which frames that still reach us go straight on without another flow-mod each.
     */
    private void drained(long xid) {
        Long mac = null;
        for (var e : draining.entrySet()) {
            if (!e.getValue().flowIn() && e.getValue().xid() == xid) {
                mac = e.getKey();
            }
        }
        if (mac == null) {
            return; // not ours, or an earlier release of a MAC released again since
        }
        Drain d = draining.remove(mac);
        if (held.isHeld(mac)) {
            return; // held again meanwhile: that release installs the flow
        }
        MacAddress m = MacAddress.of(mac);
        int port = macs.portOf(mac);
        if (port == MacTable.UNKNOWN || !ports.containsKey(port)) {
            channel.send(pipeline.forgetDestination(m));
            return;
        }
        if (port != d.port()) {
            return; // learned elsewhere meanwhile, with its flow
        }
        long now = clock.getAsLong();
        boolean quick = now - d.sentNanos() <= CAUGHT_UP_NANOS;
        boolean quiet = lastDrainFrame < d.sentNanos();
        if (!(quick && quiet) && now - d.releasedNanos() < MAX_DRAIN_NANOS) {
            counters.drainRounds.increment();
            drainBarrier(mac, port, d.releasedNanos(), d.rounds() + 1);
            return;
        }
        installDestination(m, mac, port, settings.macIdleTimeoutSeconds());
        // Out now: a capture saw a flow-mod wait 16 ms in our buffer (the end of the read batch)
        // while the switch sent us 48 more frames, which the flow's own then overtook.
        channel.flush();
        Drain settling = new Drain(0, port, now, d.releasedNanos(), d.rounds() + 1, true);
        draining.put(mac, settling);
        long moved = mac;
        channel.schedule(SETTLE_MILLIS, () -> draining.remove(moved, settling));
        log.info("bridge {}: flow toward {} on port {} after {} ms draining ({} barrier(s), the last back in {} us)",
                dpidHex, m, port, (now - d.releasedNanos()) / 1_000_000, d.rounds() + 1, (now - d.sentNanos()) / 1_000);
    }

    /** Test hook: the clock of the drain's round trips. */
    void clock(java.util.function.LongSupplier clock) {
        this.clock = clock;
    }

    // Read-only views for status and tests (copied on the bridge thread by the caller's request).

    long datapathId() {
        return datapathId;
    }

    BridgeStatus status() {
        Map<String, String> peers = new LinkedHashMap<>();
        List<String> leaves = new ArrayList<>();
        for (PortInfo p : ports.values()) {
            NodeId peer = peerOfPort.get(p.number());
            if (peer != null) {
                peers.put(p.name(), peer.toString());
            } else if (p.live() && !unclassified.contains(p.number()) && !pendingTunnel(p.number())) {
                leaves.add(p.name());
            }
        }
        return new BridgeStatus(dpidHex, topology == null ? null : topology.self().toString(), peers, leaves,
                macs.size(), remoteLeaves.size(), ringGap.map(NodeId::toString).orElse(null), counters.snapshot());
    }

    Optional<NodeId> bridgeOfMac(long mac) {
        return Optional.ofNullable(remoteLeaves.get(mac));
    }
}
