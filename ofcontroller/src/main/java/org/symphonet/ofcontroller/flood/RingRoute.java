package org.symphonet.ofcontroller.flood;

import java.util.Collection;
import java.util.Optional;

import org.symphonet.ofcontroller.view.NodeId;

/**
 * A way toward a remote bridge when no learned path is left, for unicast a bridge must pass on.
 *
 * <p>Paths to a root's leaves are learned from the root's FRBs, so each learned hop goes to the
 * node that handed us the FRB, which the bound rule always places clockwise between the root and
 * us: every learned hop moves strictly closer to the root counting clockwise from the root. When
 * links change (a shortcut replaced, a node killed), a transit bridge loses what it learned over the
 * old port and, without this, drops the root's unicast until the root's next announcement (tens of
 * seconds). The fallback hop obeys the same order, to the peer that lies clockwise between the root
 * and us nearest the root (the root itself when linked), so learned and fallback hops mixed still
 * only move toward the root and a frame can never loop. The predecessor link every node keeps makes
 * such a peer exist whenever the ring is whole.
 */
public final class RingRoute {

    private RingRoute() {
    }

    /**
     * The peer to hand a frame for {@code root}'s leaves to: the root if linked, else the peer in
     * the clockwise interval (root, self) nearest the root; empty if none (or {@code self} is the root).
     */
    public static Optional<NodeId> nextHop(NodeId self, NodeId root, Collection<NodeId> peers) {
        if (root.equals(self)) {
            return Optional.empty();
        }
        NodeId best = null;
        for (NodeId p : peers) {
            if (p.equals(root)) {
                return Optional.of(p);
            }
            if (root.strictlyBetween(p, self) && (best == null || root.distanceTo(p).compareTo(root.distanceTo(best)) < 0)) {
                best = p;
            }
        }
        return Optional.ofNullable(best);
    }
}
