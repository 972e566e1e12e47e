package org.symphonet.simulator.overlay;

import java.util.Collection;
import java.util.Set;

import org.symphonet.ofcontroller.view.NodeId;
import org.symphonet.overlay.link.Presence;
import org.symphonet.overlay.topology.RingMembers;
import org.symphonet.simulator.bridge.SimBridge;
import org.symphonet.simulator.ring.Membership;
import org.symphonet.simulator.ring.RingView;

/**
 * The presence one node has seen, handed to its link manager: the shared snapshot itself, never a
 * copy. Equal only for the same snapshot (identity), so the manager republishes its member list
 * when the node sees a new snapshot and not otherwise.
 *
 * @param bridge the node's bridge: its peer ports are the manager's up links, with their
 *               simulation indices, which make the view's presence checks bit tests
 */
record SimPresence(Membership snapshot, SimBridge bridge) implements Presence {

    @Override
    public boolean contains(NodeId id) {
        return snapshot.contains(id);
    }

    @Override
    public RingMembers candidates(NodeId self, Collection<NodeId> live, Collection<NodeId> backoff) {
        // The manager's up links and the bridge's ports come and go together (SwitchPort.linkUp and
        // linkDown), so the port list is the live list in another order, with indices attached.
        if (live.size() == bridge.portCount()) {
            return new RingView(self, snapshot, bridge.peers(), bridge.peerIndices(), backoff);
        }
        return new RingView(self, snapshot, live, backoff);
    }

    @Override
    public Set<NodeId> toSet() {
        return snapshot.asSet();
    }
}
