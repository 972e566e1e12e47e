package org.symphonet.simulator.ring;

import java.util.List;

import org.symphonet.ofcontroller.view.NodeId;
import org.symphonet.overlay.topology.DesiredLinks;

/**
 * A node's link choice for one round, given its view. The randomness is passed as a seed so the
 * same call can be replayed, which is how {@link CheckedLinkChoice} compares two implementations.
 */
public interface LinkChoice {

    DesiredLinks select(RingView view, List<NodeId> keepShortcuts, List<NodeId> onDemandWanted, long randomSeed);

    /** Short name for reports. */
    String name();
}
