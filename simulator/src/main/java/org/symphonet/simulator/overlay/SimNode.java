package org.symphonet.simulator.overlay;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.symphonet.ofcontroller.view.NodeId;
import org.symphonet.overlay.link.LinkInfo;
import org.symphonet.overlay.link.LinkManager;
import org.symphonet.overlay.topology.DesiredLinks;
import org.symphonet.simulator.bridge.SimBridge;
import org.symphonet.simulator.ring.Membership;

/**
 * One simulated node of one overlay: the node's own {@link LinkManager} (which holds the topology
 * state, the links and their negotiation), the simulated tunnels it opened, and its bridge.
 * Mutated only by the overlay's handlers, on the one simulation thread.
 */
public final class SimNode {

    final int index;
    final NodeId id;
    final long seed;
    final SimBridge bridge;
    final NodePorts ports;
    /** The open tunnel ends by peer: one per link the manager holds, pending or up. */
    final Map<NodeId, SimTunnel> tunnels = new HashMap<>();
    /** The node's link manager; null while offline (a crash loses its state, a rejoin starts afresh). */
    LinkManager manager;
    Membership view;
    boolean alive;
    boolean everLinked;
    boolean ringGap;
    int lastAdds;
    long roundGeneration;

    SimNode(int index, NodeId id, long seed, SimBridge bridge, NodePorts ports) {
        this.index = index;
        this.id = id;
        this.seed = seed;
        this.bridge = bridge;
        this.ports = ports;
    }

    public int index() {
        return index;
    }

    public NodeId id() {
        return id;
    }

    public boolean alive() {
        return alive;
    }

    /** True once the node has had a tunnel up: before that it is joining, not partitioned. */
    public boolean everLinked() {
        return everLinked;
    }

    public boolean ringGap() {
        return ringGap;
    }

    public SimBridge bridge() {
        return bridge;
    }

    /** The links the link manager's last round wanted. */
    public DesiredLinks desired() {
        return manager == null ? DesiredLinks.NONE : manager.desired();
    }

    public Membership view() {
        return view;
    }

    /** Link requests the last round sent. */
    public int lastAdds() {
        return lastAdds;
    }

    /** A link still being negotiated or connected: a tunnel end open that is not a bridge port yet. */
    public boolean negotiating() {
        return tunnels.size() > bridge.portCount();
    }

    /** The link manager's links as its status page shows them. */
    public List<LinkInfo> links() {
        return manager == null ? List.of() : manager.links();
    }

    public boolean linkedTo(NodeId peer) {
        return bridge.port(peer) != null;
    }

    /** Peers with an up link: exactly the bridge's peer ports (a tunnel becomes a port when it is up). */
    public List<NodeId> upPeers() {
        return List.copyOf(bridge.peers());
    }

    public int upLinkCount() {
        return bridge.portCount();
    }
}
