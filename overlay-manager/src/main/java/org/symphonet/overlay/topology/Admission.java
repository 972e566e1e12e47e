package org.symphonet.overlay.topology;

import java.util.Map;

import org.symphonet.ofcontroller.view.NodeId;

/** The answer to an inbound link-request (DESIGN.md §3, §5). */
public final class Admission {

    /** What to do with the request. */
    public enum Verdict {
        /** Accept; no link to this peer exists. */
        ACCEPT,
        /**
         * Accept and drop what we had with this peer: our own pending request lost the collision
         * (the requester's ID is smaller), or the requester lost its state and asks again for a link
         * we still think is up.
         */
        ACCEPT_REPLACING,
        /** Reject with {@code duplicate}: our own pending request to this peer wins the collision. */
        REJECT_DUPLICATE,
        /** Reject with {@code busy}: over max-links. */
        REJECT_BUSY
    }

    private Admission() {
    }

    /** The collision rule: the request from the smaller node ID wins. */
    public static boolean requestWins(NodeId requester, NodeId responder) {
        return requester.compareTo(responder) < 0;
    }

    /**
     * @param self      this node
     * @param requester the node asking
     * @param role      the role it asks for; successor requests are never refused as busy,
     *                  because refusing one would open a gap in the ring
     * @param current   this overlay's links and pending requests, by peer
     * @param maxLinks  the overlay's cap
     */
    public static Verdict decide(NodeId self, NodeId requester, LinkRole role, Map<NodeId, LinkState> current,
                                 int maxLinks) {
        LinkState existing = current.get(requester);
        if (existing != null && existing.outbound() && !existing.up()) {
            return requestWins(requester, self) ? Verdict.ACCEPT_REPLACING : Verdict.REJECT_DUPLICATE;
        }
        if (existing != null) {
            return Verdict.ACCEPT_REPLACING;
        }
        if (role != LinkRole.SUCCESSOR && current.size() >= maxLinks) {
            return Verdict.REJECT_BUSY;
        }
        return Verdict.ACCEPT;
    }
}
