package org.symphonet.overlay.link;

import org.symphonet.ofcontroller.view.NodeId;

/** What the switch (the controller's topology view of this overlay's bridge) is told. */
public interface SwitchPort {
    void linkUp(String portName, NodeId peer);

    void linkDown(String portName);

    /** The overlay's members changed (presence, tunnel-only peers, self); see {@link Members}. */
    void members(Members members);
}
