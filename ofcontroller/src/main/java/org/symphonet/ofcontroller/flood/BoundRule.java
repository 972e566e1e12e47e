package org.symphonet.ofcontroller.flood;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

import org.symphonet.ofcontroller.view.NodeId;

/**
 * The bound rule of DESIGN.md section 6. A node that receives a broadcast with bound end {@code e}
 * is responsible for the ring interval [self, e). It hands each of its peers inside that interval a
 * slice: peer p(i) gets [p(i), p(i+1)), the last peer gets [p(m), e). The root starts with e = root,
 * the whole ring. Slices never overlap, so every node gets the broadcast once and exactly n-1 FRBs
 * cross the overlay, whatever cycles the links form.
 */
public final class BoundRule {

    private BoundRule() {
    }

    /** One FRB to send: to this peer, with this bound end. */
    public record Handoff(NodeId peer, NodeId boundEnd) {
    }

    /**
     * The FRBs {@code self} sends for a broadcast it must cover up to {@code boundEnd} (exclusive).
     * Peers outside (self, boundEnd) get nothing; duplicates in {@code peers} count once.
     */
    public static List<Handoff> split(NodeId self, NodeId boundEnd, Collection<NodeId> peers) {
        List<NodeId> inside = new ArrayList<>(peers.size());
        for (NodeId p : peers) {
            if (self.strictlyBetween(p, boundEnd) && !inside.contains(p)) {
                inside.add(p);
            }
        }
        inside.sort(Comparator.comparing(self::distanceTo));
        List<Handoff> out = new ArrayList<>(inside.size());
        for (int i = 0; i < inside.size(); i++) {
            NodeId end = i + 1 < inside.size() ? inside.get(i + 1) : boundEnd;
            out.add(new Handoff(inside.get(i), end));
        }
        return out;
    }

    /**
     * The member the bound rule would miss: a member strictly between {@code self} and its first
     * peer clockwise. The rule covers every node only when each node links to its immediate
     * successor, so such a member is a ring gap. Empty when there is none (or no peers at all and
     * no other members).
     */
    public static java.util.Optional<NodeId> ringGap(NodeId self, Collection<NodeId> peers, Collection<NodeId> members) {
        NodeId first = null;
        for (NodeId p : peers) {
            if (!p.equals(self) && (first == null || self.distanceTo(p).compareTo(self.distanceTo(first)) < 0)) {
                first = p;
            }
        }
        NodeId missed = null;
        for (NodeId m : members) {
            if (m.equals(self)) {
                continue;
            }
            boolean beforeFirst = first == null || self.strictlyBetween(m, first);
            if (beforeFirst && (missed == null || self.distanceTo(m).compareTo(self.distanceTo(missed)) < 0)) {
                missed = m;
            }
        }
        return java.util.Optional.ofNullable(missed);
    }
}
