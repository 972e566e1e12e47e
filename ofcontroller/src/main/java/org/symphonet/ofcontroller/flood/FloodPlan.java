package org.symphonet.ofcontroller.flood;

import java.util.List;

import org.symphonet.ofcontroller.view.NodeId;

/**
 * How a bridge hands a broadcast on: to which peers, and with which bound end each. The overlay
 * uses the bound rule (its topology keeps successor links, which the rule needs). A discovered
 * physical fabric has no such links (a tree has no ring through its nodes at all), so there the
 * controller, which sees the whole fabric, hands each broadcast down a tree rooted at its origin.
 */
@FunctionalInterface
public interface FloodPlan {

    /** The copies {@code self} sends of a broadcast from {@code root} that it must cover up to {@code boundEnd}. */
    List<BoundRule.Handoff> handoffs(NodeId self, NodeId root, NodeId boundEnd, List<NodeId> peers);

    /** Whether members outside the peers' slices (ring gaps) mean lost broadcasts under this plan. */
    default boolean needsSuccessorLinks() {
        return true;
    }

    FloodPlan BOUND_RULE = (self, root, boundEnd, peers) -> BoundRule.split(self, boundEnd, peers);
}
