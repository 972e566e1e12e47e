package org.symphonet.ofcontroller.view;

import java.util.Map;
import java.util.Set;

/**
 * What the controller needs to know about one bridge's place in its overlay.
 *
 * @param self      the node ID of this bridge
 * @param peerPorts OVS port name to the node ID that port's link leads to; every other port is a leaf port
 * @param members   every node of the overlay the view knows of (including self); used to validate FRB
 *                  roots and bounds and to notice ring gaps
 */
public record BridgeTopology(NodeId self, Map<String, NodeId> peerPorts, Set<NodeId> members) {
    public BridgeTopology {
        peerPorts = Map.copyOf(peerPorts);
        members = Set.copyOf(members);
        if (!members.contains(self)) {
            throw new IllegalArgumentException("members of bridge " + self + " must include itself");
        }
    }
}
