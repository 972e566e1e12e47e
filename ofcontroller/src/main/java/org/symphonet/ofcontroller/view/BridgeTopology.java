package org.symphonet.ofcontroller.view;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.symphonet.ofcontroller.flood.FloodPlan;

/**
 * What the controller needs to know about one bridge's place in its overlay.
 *
 * @param self              the node ID of this bridge
 * @param peerPorts         OVS port name to the node ID that port's link leads to
 * @param members           every node of the overlay the view knows of (including self); used to validate FRB
 *                          roots and bounds and to notice ring gaps
 * @param unclassifiedPorts ports whose role is not known yet (discovery still running on them): they are
 *                          neither peer nor leaf ports, nothing is flooded to them and what they bring is
 *                          dropped. Every other port is a leaf port.
 * @param plan              how broadcasts are handed on
 */
public record BridgeTopology(NodeId self, Map<String, NodeId> peerPorts, Set<NodeId> members,
                             Set<String> unclassifiedPorts, FloodPlan plan) {
    public BridgeTopology {
        peerPorts = Map.copyOf(peerPorts);
        members = Set.copyOf(members);
        unclassifiedPorts = Set.copyOf(unclassifiedPorts);
        Objects.requireNonNull(plan, "plan");
        if (!members.contains(self)) {
            throw new IllegalArgumentException("members of bridge " + self + " must include itself");
        }
    }

    /** A bridge of the overlay or of a topology file: every port classified, broadcasts by the bound rule. */
    public BridgeTopology(NodeId self, Map<String, NodeId> peerPorts, Set<NodeId> members) {
        this(self, peerPorts, members, Set.of(), FloodPlan.BOUND_RULE);
    }
}
