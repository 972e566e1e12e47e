package org.symphonet.overlay.topology;

import org.symphonet.ofcontroller.view.NodeId;

/** One change the planner asks the link manager to make. */
public sealed interface LinkStep {

    NodeId peer();

    /** Send a link-request to {@code peer}. */
    record Add(NodeId peer, LinkRole role) implements LinkStep {
    }

    /** Close the outbound link to {@code peer}. */
    record Remove(NodeId peer, String reason) implements LinkStep {
    }

    /** Keep the link but count it under another role (e.g. a shortcut that became a successor). */
    record Retag(NodeId peer, LinkRole role) implements LinkStep {
    }
}
