package org.symphonet.ofcontroller.flood;

import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.symphonet.ofcontroller.view.NodeId;

/**
 * One bridge's view of the ring at a moment: itself, the peers it has a live link to, and a test
 * for every member it knows of. Replaced as a whole whenever a link or the member list changes.
 */
public record Adjacency(NodeId self, List<NodeId> peers, MemberTest members, FloodPlan plan) {
    public Adjacency {
        peers = List.copyOf(peers);
        Objects.requireNonNull(members, "members");
        Objects.requireNonNull(plan, "plan");
    }

    /** The overlay's adjacency: broadcasts follow the bound rule. */
    public Adjacency(NodeId self, List<NodeId> peers, MemberTest members) {
        this(self, peers, members, FloodPlan.BOUND_RULE);
    }

    public Adjacency(NodeId self, List<NodeId> peers, Set<NodeId> members, FloodPlan plan) {
        this(self, peers, Set.copyOf(members)::contains, plan);
    }

    /** Members given as a set, copied so later changes to the caller's set do not leak in. */
    public Adjacency(NodeId self, List<NodeId> peers, Set<NodeId> members) {
        this(self, peers, Set.copyOf(members)::contains, FloodPlan.BOUND_RULE);
    }
}
