package org.symphonet.simulator.bridge;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.symphonet.ofcontroller.flood.Adjacency;
import org.symphonet.ofcontroller.flood.FloodEngine;
import org.symphonet.ofcontroller.flood.FloodSink;
import org.symphonet.ofcontroller.flood.Frb;
import org.symphonet.ofcontroller.flood.FrbType;
import org.symphonet.ofcontroller.flood.MemberTest;
import org.symphonet.ofcontroller.learning.MacTable;
import org.symphonet.ofcontroller.metrics.BridgeCounters;
import org.symphonet.ofcontroller.view.NodeId;

/**
 * One node's OVS bridge as the controller sees it: the real {@link FloodEngine}, {@link MacTable}
 * and {@link BridgeCounters}, with tunnels as numbered peer ports and one leaf port. The flows
 * OVS would hold are the MAC table itself: unicast follows {@link #nextHop}.
 */
public final class SimBridge implements FloodSink {

    /** The one leaf port: the hosts behind this bridge. */
    public static final int LEAF_PORT = 0;
    /** Same bound on learned MACs as the controller's default. */
    private static final int MAC_CAPACITY = 100_000;

    /** A tunnel as a switch port. */
    public record Port(int number, NodeId peer, int peerIndex, long latencyNanos) {
    }

    private final int index;
    private final NodeId self;
    private final FloodEngine engine;
    private final MacTable macs = new MacTable(MAC_CAPACITY);
    private final BridgeCounters counters = new BridgeCounters();
    private final Map<NodeId, Port> byPeer = new HashMap<>();
    private final Map<Integer, Port> byNumber = new HashMap<>();
    /** The peers in attach order; rounds read it every second, so it is kept rather than rebuilt. */
    private final List<NodeId> peerList = new ArrayList<>();
    private final List<Integer> peerIndexList = new ArrayList<>();
    private final FrbTransport transport;
    private final DeliveryListener listener;
    /** The member list the node's link manager last published; only self until then. */
    private MemberTest members;
    private int nextPort = LEAF_PORT + 1;
    private long droppedNoPort;

    public SimBridge(int index, NodeId self, int hopLimit, long firstSeq, FrbTransport transport,
                     DeliveryListener listener) {
        this.index = index;
        this.self = self;
        this.members = self::equals;
        this.transport = transport;
        this.listener = listener;
        this.engine = new FloodEngine(adjacency(), this, counters, hopLimit, firstSeq);
    }

    public BridgeCounters counters() {
        return counters;
    }

    public MacTable macs() {
        return macs;
    }

    public Adjacency adjacency() {
        return new Adjacency(self, peers(), members);
    }

    /** The peers with an up tunnel; a read-only view that changes as tunnels come and go. */
    public List<NodeId> peers() {
        return java.util.Collections.unmodifiableList(peerList);
    }

    /** The simulation indices of {@link #peers()}, in the same order. */
    public List<Integer> peerIndices() {
        return java.util.Collections.unmodifiableList(peerIndexList);
    }

    public int portCount() {
        return byPeer.size();
    }

    /** The peer ports, one per up tunnel. */
    public java.util.Collection<Port> ports() {
        return java.util.Collections.unmodifiableCollection(byPeer.values());
    }

    public Port port(NodeId peer) {
        return byPeer.get(peer);
    }

    /** A tunnel came up: it becomes a peer port and the flood engine's adjacency grows. */
    public void attach(NodeId peer, int peerIndex, long latencyNanos) {
        if (byPeer.containsKey(peer)) {
            return;
        }
        Port p = new Port(nextPort++, peer, peerIndex, latencyNanos);
        byPeer.put(peer, p);
        byNumber.put(p.number(), p);
        peerList.add(peer);
        peerIndexList.add(peerIndex);
        engine.setAdjacency(adjacency());
    }

    /** A tunnel went away: its port, the MACs learned on it, and the adjacency entry go with it. */
    public void detach(NodeId peer) {
        Port p = byPeer.remove(peer);
        if (p == null) {
            return;
        }
        byNumber.remove(p.number());
        int at = peerList.indexOf(peer);
        peerList.remove(at);
        peerIndexList.remove(at);
        macs.forgetPort(p.number());
        engine.setAdjacency(adjacency());
    }

    /** The link manager published a new member list (presence, tunnel-only peers, self). */
    public void setMembers(MemberTest m) {
        if (m != members) {
            members = m;
            engine.setAdjacency(adjacency());
        }
    }

    /** A leaf sent a broadcast frame: learn its source on the leaf port, then flood it. */
    public void originate(byte[] frame) {
        macs.learn(MacTable.macAt(frame, 6), LEAF_PORT);
        engine.originate(frame);
    }

    /** An FRB arrived on the tunnel from {@code from}; dropped when that tunnel is gone here. */
    public void receive(NodeId from, byte[] frame, long nowNanos) {
        Port p = byPeer.get(from);
        if (p == null) {
            droppedNoPort++;
            return;
        }
        engine.receive(frame, p.number(), nowNanos);
    }

    /** Where a frame to {@code mac} leaves this bridge: a peer, self for the leaf port, null when unknown. */
    public NodeId nextHop(long mac) {
        int port = macs.portOf(mac);
        if (port == MacTable.UNKNOWN) {
            return null;
        }
        if (port == LEAF_PORT) {
            return self;
        }
        Port p = byNumber.get(port);
        return p == null ? null : p.peer();
    }

    public long droppedNoPort() {
        return droppedNoPort;
    }

    @Override
    public void sendFrb(NodeId peer, byte[] frbFrame) {
        Port p = byPeer.get(peer);
        if (p == null) {
            throw new IllegalStateException("flood engine chose " + peer + ", which has no port at " + self);
        }
        transport.send(index, p, frbFrame);
    }

    @Override
    public void deliverLocally(Frb frb, int ingress) {
        if (frb.type() != FrbType.FLOOD) {
            return;
        }
        counters.frbDelivered.increment();
        // Learning the root's source MAC on the ingress port builds the return path to the root.
        if (macs.learn(MacTable.macAt(frb.payload(), 6), ingress) == MacTable.UNKNOWN) {
            counters.macsLearned.increment();
        }
        listener.delivered(index, frb);
    }
}
