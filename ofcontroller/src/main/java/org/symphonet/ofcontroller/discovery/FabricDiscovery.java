package org.symphonet.ofcontroller.discovery;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.symphonet.ofcontroller.view.BridgeTopology;
import org.symphonet.ofcontroller.view.NodeId;
import org.symphonet.ofcontroller.view.TopologyView;

/**
 * The topology of a controller run without a topology file: found by probing. Every switch that
 * connects sends a probe out of each port every second (four times a second at first); a probe
 * that comes back as a packet-in at another switch proves a link. A port with a link both ways is
 * a peer port; one that stays silent for the settle time is a leaf port; until then its role is
 * unknown and it floods nothing, so a fabric still being discovered can lose a broadcast but never
 * loop one. A port whose link timed out while it stayed up stays unknown, not a leaf. Switches
 * joined by links form a fabric with its own ring; node IDs come from datapath IDs.
 *
 * Thread-safe: bridges call in from their event loops, a ticker re-checks timeouts.
 */
public final class FabricDiscovery implements TopologyView, SwitchObserver, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FabricDiscovery.class);

    /**
     * @param settleNanos      a live port that heard no probe for this long is a leaf port
     * @param linkTimeoutNanos a link whose probes stopped for this long is down
     * @param leafHoldNanos    a port that heard probes stays unknown (not a leaf) this long after the
     *                         last one, unless it goes down in between
     */
    public record Settings(long settleNanos, long linkTimeoutNanos, long leafHoldNanos) {
        public Settings(long settleNanos, long linkTimeoutNanos) {
            this(settleNanos, linkTimeoutNanos, Math.max(linkTimeoutNanos, TimeUnit.SECONDS.toNanos(30)));
        }

        public static Settings defaults() {
            // A bridge probes every 250 ms in its first seconds (PROBE_BURST in Bridge), then every
            // second, and a port that hears a probe answers at once while its link is not proven:
            // a live neighbour is heard within a round trip, so a second of silence makes a leaf.
            // The timeout lets ten periodic probes go missing (LLDP-based controllers wait 10 s
            // and more): under all-pairs iperf3 on a 2-core box, probe packet-ins arrived more
            // than 5.5 s late and links "timed out" in bulk; each lost link costs learned flows
            // and re-floods, which loaded the switches further. Cut links are seen at once by
            // port status anyway.
            return new Settings(TimeUnit.MILLISECONDS.toNanos(1_000), TimeUnit.MILLISECONDS.toNanos(10_500));
        }
    }

    private record PortState(PortInfo info, long upSince) {
    }

    private final Settings settings;
    private final LongSupplier clock;
    private final long nonce;
    private final LinkTable links;
    /** Guarded by this: connected switches and their ports. */
    private final Map<Long, Map<Integer, PortState>> switches = new HashMap<>();
    private Set<LinkTable.Link> lastLinks = Set.of();
    /** Ports whose role was unknown at the last recompute: the fabric is settled when none are. */
    private int lastUnknown = -1;
    private FabricStatus status = new FabricStatus(0, List.of(), List.of(), 0);
    private final Map<Long, BridgeTopology> published = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<LongConsumer> listeners = new CopyOnWriteArrayList<>();
    private final LongAdder linksLost = new LongAdder();
    private ScheduledExecutorService ticker;

    public FabricDiscovery(Settings settings) {
        this(settings, System::nanoTime, new SecureRandom().nextLong());
    }

    /** With a clock and nonce of the caller's: for tests. */
    public FabricDiscovery(Settings settings, LongSupplier clock, long nonce) {
        this.settings = settings;
        this.clock = clock;
        this.nonce = nonce;
        this.links = new LinkTable(settings.linkTimeoutNanos());
    }

    /** Re-checks settle times and probe timeouts every {@code periodMillis}. */
    public synchronized void start(long periodMillis) {
        if (ticker == null) {
            ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "fabric-discovery");
                t.setDaemon(true);
                return t;
            });
            ticker.scheduleAtFixedRate(this::recheck, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public synchronized void close() {
        if (ticker != null) {
            ticker.shutdownNow();
            ticker = null;
        }
    }

    // TopologyView

    @Override
    public Optional<BridgeTopology> bridge(long datapathId) {
        return Optional.ofNullable(published.get(datapathId));
    }

    @Override
    public void addListener(LongConsumer changedDatapath) {
        listeners.add(changedDatapath);
    }

    // SwitchObserver

    @Override
    public void switchUp(long datapathId, List<PortInfo> ports) {
        long now = clock.getAsLong();
        List<Long> changed;
        synchronized (this) {
            Map<Integer, PortState> old = switches.get(datapathId);
            Map<Integer, PortState> next = new HashMap<>();
            for (PortInfo p : ports) {
                PortState before = old == null ? null : old.get(p.number());
                // A reconnecting switch keeps its ports' ages: its links were not touched by the reconnection.
                boolean keep = before != null && before.info().live() && p.live();
                next.put(p.number(), new PortState(p, keep ? before.upSince() : now));
            }
            switches.put(datapathId, next);
            log.info("fabric: switch {} joined (node {})", hex(datapathId), DatapathNodeId.of(datapathId).shortHex());
            changed = recompute(now);
        }
        fire(changed);
    }

    @Override
    public void switchDown(long datapathId) {
        long now = clock.getAsLong();
        List<Long> changed;
        synchronized (this) {
            if (switches.remove(datapathId) == null) {
                return;
            }
            links.forgetSwitch(datapathId);
            log.info("fabric: switch {} left", hex(datapathId));
            changed = recompute(now);
        }
        fire(changed);
    }

    @Override
    public void portChanged(long datapathId, PortInfo port, boolean deleted) {
        long now = clock.getAsLong();
        List<Long> changed;
        synchronized (this) {
            Map<Integer, PortState> ports = switches.get(datapathId);
            if (ports == null) {
                return;
            }
            PortState before = ports.get(port.number());
            boolean wasLive = before != null && before.info().live();
            if (deleted) {
                ports.remove(port.number());
            } else {
                ports.put(port.number(), new PortState(port, wasLive && port.live() ? before.upSince() : now));
            }
            if (deleted || !port.live()) {
                links.forgetPort(new LinkTable.Endpoint(datapathId, port.number()));
            }
            changed = recompute(now);
        }
        fire(changed);
    }

    @Override
    public boolean probeReceived(long datapathId, int inPort, byte[] frame) {
        Optional<ProbeCodec.Probe> p = ProbeCodec.decode(frame);
        if (p.isEmpty() || p.get().nonce() != nonce) {
            return false; // not ours: another controller's fabric, or garbage
        }
        long now = clock.getAsLong();
        boolean answer;
        List<Long> changed;
        synchronized (this) {
            ProbeCodec.Probe probe = p.get();
            if (!switches.containsKey(datapathId) || !switches.containsKey(probe.datapathId())) {
                return false;
            }
            answer = links.heard(new LinkTable.Endpoint(datapathId, inPort),
                    new LinkTable.Endpoint(probe.datapathId(), probe.port()), now);
            changed = recompute(now);
        }
        fire(changed);
        return answer;
    }

    @Override
    public byte[] probe(long datapathId, int port) {
        return ProbeCodec.encode(new ProbeCodec.Probe(nonce, datapathId, port));
    }

    /** Applies timeouts: ports that settled become leaves, links whose probes stopped go down. */
    public void recheck() {
        List<Long> changed;
        synchronized (this) {
            changed = recompute(clock.getAsLong());
        }
        fire(changed);
    }

    public synchronized FabricStatus status() {
        return status;
    }

    public long linksLost() {
        return linksLost.sum();
    }

    /** Rebuilds every bridge's topology; returns the switches whose topology changed. Caller holds the lock. */
    private List<Long> recompute(long now) {
        links.expire(now);
        Set<LinkTable.Link> up = new HashSet<>();
        for (LinkTable.Link l : links.links()) {
            if (live(l.a()) && live(l.b())) {
                up.add(l);
            }
        }
        for (LinkTable.Link l : lastLinks) {
            if (!up.contains(l)) {
                linksLost.increment();
                log.info("fabric: link {} - {} lost", l.a(), l.b());
            }
        }
        for (LinkTable.Link l : up) {
            if (!lastLinks.contains(l)) {
                log.info("fabric: link {} - {} up", l.a(), l.b());
            }
        }
        lastLinks = up;

        // Fabrics: switches joined by links (union-find over datapath IDs).
        Map<Long, Long> parent = new HashMap<>();
        for (Long d : switches.keySet()) {
            parent.put(d, d);
        }
        Map<Long, List<LinkTable.Link>> linksAt = new HashMap<>();
        for (LinkTable.Link l : up) {
            union(parent, l.a().datapathId(), l.b().datapathId());
            linksAt.computeIfAbsent(l.a().datapathId(), k -> new ArrayList<>()).add(l);
            linksAt.computeIfAbsent(l.b().datapathId(), k -> new ArrayList<>()).add(l);
        }
        Map<Long, List<Long>> fabrics = new TreeMap<>(Long::compareUnsigned);
        for (Long d : switches.keySet()) {
            fabrics.computeIfAbsent(find(parent, d), k -> new ArrayList<>()).add(d);
        }

        List<Long> changed = new ArrayList<>();
        int unknownPorts = 0;
        List<FabricStatus.SwitchEntry> entries = new ArrayList<>();
        List<List<Long>> ordered = new ArrayList<>(fabrics.values());
        ordered.forEach(f -> f.sort(Long::compareUnsigned));
        ordered.sort((x, y) -> Long.compareUnsigned(x.get(0), y.get(0)));
        for (int fi = 0; fi < ordered.size(); fi++) {
            List<Long> members = ordered.get(fi);
            Set<NodeId> ids = new HashSet<>();
            Map<NodeId, List<NodeId>> edges = new HashMap<>();
            for (Long d : members) {
                NodeId self = DatapathNodeId.of(d);
                ids.add(self);
                List<NodeId> adj = edges.computeIfAbsent(self, k -> new ArrayList<>());
                for (LinkTable.Link l : linksAt.getOrDefault(d, List.of())) {
                    long other = l.a().datapathId() == d ? l.b().datapathId() : l.a().datapathId();
                    adj.add(DatapathNodeId.of(other));
                }
            }
            FabricGraph graph = new FabricGraph(edges);
            for (Long d : members) {
                NodeId self = DatapathNodeId.of(d);
                Map<String, NodeId> peers = new HashMap<>();
                Set<String> unknown = new HashSet<>();
                Map<String, String> roles = new TreeMap<>();
                for (PortState ps : switches.get(d).values()) {
                    LinkTable.Endpoint e = new LinkTable.Endpoint(d, ps.info().number());
                    Optional<LinkTable.Endpoint> other = links.neighbour(e)
                            .filter(o -> up.contains(LinkTable.Link.of(e, o)));
                    boolean heard = links.heardAt(e) || links.heardWithin(e, now, settings.leafHoldNanos());
                    PortRole role = PortRole.classify(ps.info().live(), other.isPresent(), heard,
                            now - ps.upSince(), settings.settleNanos());
                    roles.put(ps.info().name(), role.name().toLowerCase(java.util.Locale.ROOT));
                    if (role == PortRole.PEER) {
                        peers.put(ps.info().name(), DatapathNodeId.of(other.get().datapathId()));
                    } else if (role == PortRole.UNKNOWN) {
                        unknown.add(ps.info().name());
                        unknownPorts++;
                    }
                }
                BridgeTopology t = new BridgeTopology(self, peers, ids, unknown, graph);
                if (!t.equals(published.get(d))) {
                    published.put(d, t);
                    changed.add(d);
                }
                entries.add(new FabricStatus.SwitchEntry(hex(d), self.toString(), fi, roles));
            }
        }
        for (Long d : List.copyOf(published.keySet())) {
            if (!switches.containsKey(d)) {
                published.remove(d);
                changed.add(d);
            }
        }
        if (unknownPorts == 0 && lastUnknown != 0 && !switches.isEmpty()) {
            // The moment every port switches: worth a line when one looks at start-up times.
            log.info("fabric: every port classified ({} switches, {} links)", switches.size(), up.size());
        }
        lastUnknown = unknownPorts;
        List<FabricStatus.LinkEntry> linkEntries = new ArrayList<>();
        for (LinkTable.Link l : up) {
            linkEntries.add(new FabricStatus.LinkEntry(endpointName(l.a()), endpointName(l.b())));
        }
        linkEntries.sort(java.util.Comparator.comparing(FabricStatus.LinkEntry::a).thenComparing(FabricStatus.LinkEntry::b));
        status = new FabricStatus(ordered.size(), List.copyOf(entries), List.copyOf(linkEntries), linksLost.sum());
        return changed;
    }

    private boolean live(LinkTable.Endpoint e) {
        Map<Integer, PortState> ports = switches.get(e.datapathId());
        PortState p = ports == null ? null : ports.get(e.port());
        return p != null && p.info().live();
    }

    private String endpointName(LinkTable.Endpoint e) {
        PortState p = switches.get(e.datapathId()).get(e.port());
        return hex(e.datapathId()) + "/" + (p == null ? String.valueOf(e.port()) : p.info().name());
    }

    private void fire(List<Long> changed) {
        for (Long d : changed) {
            for (LongConsumer l : listeners) {
                l.accept(d);
            }
        }
    }

    private static long find(Map<Long, Long> parent, long x) {
        long p = parent.get(x);
        while (p != x) {
            long gp = parent.get(p);
            parent.put(x, gp);
            x = p;
            p = gp;
        }
        return x;
    }

    private static void union(Map<Long, Long> parent, long a, long b) {
        long ra = find(parent, a);
        long rb = find(parent, b);
        if (ra != rb) {
            parent.put(Long.compareUnsigned(ra, rb) < 0 ? rb : ra, Long.compareUnsigned(ra, rb) < 0 ? ra : rb);
        }
    }

    private static String hex(long dpid) {
        return String.format("%016x", dpid);
    }

}
