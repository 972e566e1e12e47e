package org.symphonet.simulator.overlay;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.symphonet.ofcontroller.view.NodeId;
import org.symphonet.overlay.topology.DesiredLinks;
import org.symphonet.overlay.topology.LinkState;
import org.symphonet.overlay.topology.OverlayTopology;
import org.symphonet.simulator.bridge.SimBridge;
import org.symphonet.simulator.ring.Membership;

/**
 * One simulated node of one overlay: the state the node's link manager and topology keep between
 * rounds, and its bridge. Mutated only by the overlay's handlers, on the one simulation thread.
 */
public final class SimNode {

    final int index;
    final NodeId id;
    final long seed;
    final SimBridge bridge;
    /** Links and pending requests by peer, in the form the real planner and admission read. */
    final Map<NodeId, LinkState> links = new HashMap<>();
    /** Negotiation attempt per pending peer, so stale answers and deadlines are recognised. */
    final Map<NodeId, Long> attempts = new HashMap<>();
    /** The link manager's retry pacing: no new request to a peer before this time... */
    final Map<NodeId, Long> retryAt = new HashMap<>();
    /** ...which doubles with each failure in a row, as in LinkManager. */
    final Map<NodeId, Integer> failures = new HashMap<>();
    /** The node's own topology state (kept shortcuts, on-demand tracker, unwanted links), as Node keeps it. */
    OverlayTopology topology;
    DesiredLinks desired = DesiredLinks.NONE;
    Membership view;
    boolean alive;
    boolean everLinked;
    boolean ringGap;
    int lastAdds;
    long rounds;
    long roundGeneration;

    SimNode(int index, NodeId id, long seed, SimBridge bridge, OverlayTopology topology) {
        this.index = index;
        this.id = id;
        this.seed = seed;
        this.bridge = bridge;
        this.topology = topology;
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

    public DesiredLinks desired() {
        return desired;
    }

    public Membership view() {
        return view;
    }

    public int lastAdds() {
        return lastAdds;
    }

    public boolean negotiating() {
        return !attempts.isEmpty();
    }

    public Map<NodeId, LinkState> links() {
        return Collections.unmodifiableMap(links);
    }

    public boolean linkedTo(NodeId peer) {
        LinkState l = links.get(peer);
        return l != null && l.up();
    }

    /** Peers with an up link: exactly the bridge's peer ports (a tunnel becomes a port when it is up). */
    public List<NodeId> upPeers() {
        return List.copyOf(bridge.peers());
    }

    public int upLinkCount() {
        return bridge.portCount();
    }
}
