package org.symphonet.ofcontroller.flood;

import org.symphonet.ofcontroller.view.NodeId;

/**
 * Whether a node is a member of the overlay: all the flood engine asks of the member list (an FRB
 * from or bounded by a stranger is dropped). A test rather than a set, so a caller that already
 * holds the members in another form (a simulator's one shared presence snapshot for 100,000
 * bridges) hands it over without a copy per bridge.
 */
@FunctionalInterface
public interface MemberTest {
    boolean contains(NodeId id);
}
