package org.symphonet.ofcontroller.view;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;

/**
 * A topology view fed from outside: links going up and down, members joining and leaving.
 * Each change swaps in a new immutable {@link BridgeTopology}, so readers never see a half-made update.
 */
public final class MutableTopologyView implements TopologyView {

    private final Map<Long, BridgeTopology> bridges = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<LongConsumer> listeners = new CopyOnWriteArrayList<>();

    @Override
    public Optional<BridgeTopology> bridge(long datapathId) {
        return Optional.ofNullable(bridges.get(datapathId));
    }

    @Override
    public void addListener(LongConsumer changedDatapath) {
        listeners.add(changedDatapath);
    }

    public void putBridge(long datapathId, BridgeTopology topology) {
        bridges.put(datapathId, topology);
        fire(datapathId);
    }

    public void removeBridge(long datapathId) {
        if (bridges.remove(datapathId) != null) {
            fire(datapathId);
        }
    }

    public void linkUp(long datapathId, String portName, NodeId peer) {
        update(datapathId, t -> {
            Map<String, NodeId> ports = new HashMap<>(t.peerPorts());
            ports.put(portName, peer);
            Set<NodeId> members = new HashSet<>(t.members());
            members.add(peer);
            return new BridgeTopology(t.self(), ports, members);
        });
    }

    public void linkDown(long datapathId, String portName) {
        update(datapathId, t -> {
            Map<String, NodeId> ports = new HashMap<>(t.peerPorts());
            ports.remove(portName);
            return new BridgeTopology(t.self(), ports, t.members());
        });
    }

    public void setMembers(long datapathId, Set<NodeId> members) {
        update(datapathId, t -> {
            Set<NodeId> all = new HashSet<>(members);
            all.add(t.self());
            return new BridgeTopology(t.self(), t.peerPorts(), all);
        });
    }

    private void update(long datapathId, java.util.function.UnaryOperator<BridgeTopology> change) {
        BridgeTopology next = bridges.computeIfPresent(datapathId, (k, t) -> change.apply(t));
        if (next == null) {
            throw new IllegalStateException("no bridge with datapath ID " + Long.toHexString(datapathId));
        }
        fire(datapathId);
    }

    private void fire(long datapathId) {
        for (LongConsumer l : listeners) {
            l.accept(datapathId);
        }
    }
}
