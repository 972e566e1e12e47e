package org.symphonet.simulator.overlay;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;

import org.symphonet.ofcontroller.view.NodeId;
import org.symphonet.overlay.link.LinkManager;
import org.symphonet.overlay.topology.Admission;
import org.symphonet.overlay.topology.OverlayTopology;
import org.symphonet.simulator.bridge.DeliveryListener;
import org.symphonet.simulator.bridge.FrbTransport;
import org.symphonet.simulator.bridge.LeafFrames;
import org.symphonet.simulator.bridge.SimBridge;
import org.symphonet.simulator.event.Check;
import org.symphonet.simulator.event.Event;
import org.symphonet.simulator.event.EventQueue;
import org.symphonet.simulator.event.FrbArrival;
import org.symphonet.simulator.event.LinkTick;
import org.symphonet.simulator.event.MembershipTick;
import org.symphonet.simulator.event.NodeFails;
import org.symphonet.simulator.event.NodeJoins;
import org.symphonet.simulator.event.Originate;
import org.symphonet.simulator.event.PresenceLost;
import org.symphonet.simulator.event.Round;
import org.symphonet.simulator.event.SignalArrival;
import org.symphonet.simulator.event.TunnelLost;
import org.symphonet.simulator.event.TunnelReady;
import org.symphonet.simulator.net.LatencyModel;
import org.symphonet.simulator.net.Wire;
import org.symphonet.simulator.ring.MembershipLog;

/**
 * The simulated overlay: every node, the underlay, the presence server and the clock, and the
 * one loop that fires events in order. Single-threaded by design: determinism for a seed matters
 * more than a second core.
 */
public final class Overlay implements FrbTransport {

    /** Told when a leaf broadcast should start, and when the observer should look. */
    public interface Hooks {
        void originate(SimNode node, long broadcast);

        void check();

        /** An FRB of broadcast {@code broadcast} was put on the wire. */
        void frbSent(long broadcast);
    }

    final SimSettings settings;
    final EventQueue queue = new EventQueue();
    final Wire wire;
    final MembershipLog presence = new MembershipLog();
    final Rounds rounds;
    final LinkEvents links;
    final Churn churn;
    /** The overlay name on every negotiation message. */
    private static final String OVERLAY = "sim";
    private final List<SimNode> nodes = new ArrayList<>();
    private final Map<NodeId, Integer> indexOf = new HashMap<>();
    private final Random ids;
    private final DeliveryListener deliveries;
    private final Hooks hooks;
    private final long checkNanos;
    private long aliveEpoch;
    private long frbInFlight;
    private long frbLostOnWire;
    private long frbLostAtDeadNode;
    private long tunnelSerials;
    private final List<String> portNames = new ArrayList<>();
    private final Map<Admission.Verdict, Long> verdicts = new java.util.EnumMap<>(Admission.Verdict.class);

    public Overlay(SimSettings settings, LatencyModel latency, double loss, long seed,
                   DeliveryListener deliveries, Hooks hooks, long checkNanos) {
        this.settings = settings;
        this.ids = new Random(seed);
        this.wire = new Wire(latency, loss, seed * 0x9E3779B97F4A7C15L + 1);
        this.deliveries = deliveries;
        this.hooks = hooks;
        this.checkNanos = checkNanos;
        this.rounds = new Rounds(this);
        this.links = new LinkEvents(this);
        this.churn = new Churn(this, seed + 0x632BE59BD9B4E019L);
    }

    /** Creates a node with a fresh random ID, offline. */
    public SimNode createNode() {
        NodeId id;
        do {
            id = new NodeId(ids.nextLong(), ids.nextLong());
        } while (indexOf.containsKey(id));
        int index = nodes.size();
        long seed = ids.nextLong();
        SimBridge bridge = new SimBridge(index, id, settings.hopLimit(), seed >>> 32, this, deliveries);
        NodePorts ports = new NodePorts(this);
        SimNode node = new SimNode(index, id, seed, bridge, ports);
        ports.attach(node);
        nodes.add(node);
        indexOf.put(id, index);
        return node;
    }

    /** Marks a node online from the start of the run: present in the first published snapshot. */
    public void startOnline(SimNode node) {
        goOnline(node);
        rounds.startTimer(node, (long) (ids.nextDouble() * settings.roundNanos()));
    }

    /**
     * The node's process starts: a fresh link manager (the node's own, with its own topology
     * state and a generator seeded per node and start, so a run repeats itself for a seed).
     */
    void goOnline(SimNode node) {
        node.alive = true;
        aliveChanged();
        presence.add(node.id, node.index);
        OverlayTopology topology = OverlayTopology.start(node.id, settings.params(), settings.planner(),
                settings.onDemandThreshold(), settings.onDemandIdle());
        node.manager = new LinkManager(OVERLAY, topology, node.ports, node.ports, node.ports, settings.timers(),
                new Random(node.seed + aliveEpoch));
    }

    /** Publishes the initial presence and starts the server tick and the observer. */
    public void start() {
        presence.publish(queue.now());
        queue.after(settings.tickNanos(), new MembershipTick());
        if (checkNanos > 0) {
            queue.after(checkNanos, new Check());
        }
    }

    public void schedule(long atNanos, Event e) {
        queue.at(atNanos, e);
    }

    /** Fires events until {@code stop} says so (checked after each event) or time passes {@code until}. */
    public void runUntil(long untilNanos, BooleanSupplier stop) {
        while (!queue.isEmpty() && queue.peekTime() <= untilNanos && !stop.getAsBoolean()) {
            dispatch(queue.next());
        }
    }

    private void dispatch(Event e) {
        if (e instanceof FrbArrival a) {
            onFrb(a);
        } else if (e instanceof Round r) {
            rounds.onRound(r);
        } else if (e instanceof SignalArrival a) {
            links.onSignal(a);
        } else if (e instanceof LinkTick t) {
            links.onTick(t);
        } else if (e instanceof TunnelReady r) {
            links.onReady(r);
        } else if (e instanceof TunnelLost l) {
            links.onLost(l);
        } else if (e instanceof NodeFails f) {
            churn.onFail(f);
        } else if (e instanceof NodeJoins j) {
            churn.onJoin(j);
        } else if (e instanceof PresenceLost p) {
            churn.onPresenceLost(p);
        } else if (e instanceof MembershipTick t) {
            churn.onTick(t);
        } else if (e instanceof Originate o) {
            SimNode node = node(o.node());
            if (node.alive) {
                hooks.originate(node, o.broadcast());
            }
        } else if (e instanceof Check c) {
            hooks.check();
            queue.after(checkNanos, c);
        } else {
            throw new IllegalStateException("unhandled event " + e);
        }
    }

    @Override
    public void send(int fromNode, SimBridge.Port port, byte[] frame) {
        hooks.frbSent(LeafFrames.broadcastOfFrb(frame));
        if (wire.lost()) {
            frbLostOnWire++;
            return;
        }
        frbInFlight++;
        queue.after(port.latencyNanos(), new FrbArrival(port.peerIndex(), fromNode, frame));
    }

    private void onFrb(FrbArrival a) {
        frbInFlight--;
        SimNode to = node(a.to());
        if (!to.alive) {
            frbLostAtDeadNode++;
            return;
        }
        to.bridge.receive(node(a.from()).id, a.frame(), queue.now());
    }

    public SimNode node(int index) {
        return nodes.get(index);
    }

    public SimNode node(NodeId id) {
        return nodes.get(indexOf.get(id));
    }

    public int indexOf(NodeId id) {
        return indexOf.get(id);
    }

    public List<SimNode> nodes() {
        return Collections.unmodifiableList(nodes);
    }

    /** Counts changes of any node's liveness, so observers can cache the live ring between them. */
    public long aliveEpoch() {
        return aliveEpoch;
    }

    void aliveChanged() {
        aliveEpoch++;
    }

    public long now() {
        return queue.now();
    }

    /** Simulated time in the link manager's unit (the node hands it the wall clock in ms). */
    long nowMillis() {
        return queue.now() / 1_000_000L;
    }

    /**
     * The port name of a tunnel to node {@code index} (its index in decimal), one string per node
     * shared by every link to it: a string per link would be 100 MB at 100,000 nodes.
     */
    String portName(int index) {
        while (portNames.size() <= index) {
            portNames.add(null);
        }
        String name = portNames.get(index);
        if (name == null) {
            name = Integer.toString(index);
            portNames.set(index, name);
        }
        return name;
    }

    long nextTunnelSerial() {
        return ++tunnelSerials;
    }

    void countVerdict(Admission.Verdict v) {
        verdicts.merge(v, 1L, Long::sum);
    }

    public long eventsFired() {
        return queue.fired();
    }

    public MembershipLog presence() {
        return presence;
    }

    public SimSettings settings() {
        return settings;
    }

    public long frbInFlight() {
        return frbInFlight;
    }

    public long frbLostOnWire() {
        return frbLostOnWire;
    }

    public long frbLostAtDeadNode() {
        return frbLostAtDeadNode;
    }

    /** The answers link requests got: accepts (replacing or not), busy and duplicate rejects. */
    public Map<Admission.Verdict, Long> verdicts() {
        return Collections.unmodifiableMap(verdicts);
    }

    /** Feeds a traffic report to a node's link manager, as the switch would. */
    public void reportTraffic(SimNode node, NodeId peer, double bytesPerSecond) {
        if (node.alive) {
            node.manager.traffic(peer, bytesPerSecond, nowMillis());
        }
    }
}
