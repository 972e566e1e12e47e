package org.symphonet.overlay.link;

import java.util.Set;

import org.symphonet.ofcontroller.view.NodeId;

/** What the switch (the controller's topology view of this overlay's bridge) is told. */
public interface SwitchPort {
    void linkUp(String portName, NodeId peer);

    void linkDown(String portName);

    void members(Set<NodeId> members);
}
