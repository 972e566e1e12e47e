package org.symphonet.overlay.topology;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.symphonet.ofcontroller.view.NodeId;

/**
 * The links this node wants to initiate or keep in one overlay, by role. The three lists are
 * disjoint; successors are in clockwise order.
 */
public record DesiredLinks(List<NodeId> successors, List<NodeId> shortcuts, List<NodeId> onDemand) {

    public static final DesiredLinks NONE = new DesiredLinks(List.of(), List.of(), List.of());

    public DesiredLinks {
        successors = List.copyOf(successors);
        shortcuts = List.copyOf(shortcuts);
        onDemand = List.copyOf(onDemand);
    }

    /** Every wanted peer with its role, successors first, then shortcuts, then on-demand. */
    public Map<NodeId, LinkRole> roles() {
        Map<NodeId, LinkRole> m = new LinkedHashMap<>();
        successors.forEach(p -> m.put(p, LinkRole.SUCCESSOR));
        shortcuts.forEach(p -> m.putIfAbsent(p, LinkRole.SHORTCUT));
        onDemand.forEach(p -> m.putIfAbsent(p, LinkRole.ON_DEMAND));
        return m;
    }

    public int size() {
        return successors.size() + shortcuts.size() + onDemand.size();
    }
}
