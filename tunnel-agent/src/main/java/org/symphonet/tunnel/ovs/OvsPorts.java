package org.symphonet.tunnel.ovs;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/** Attaches TAPs to an overlay bridge and removes them again (DESIGN.md §4). */
public final class OvsPorts {
    private final OvsVsctl vsctl;

    public OvsPorts(OvsVsctl vsctl) {
        this.vsctl = vsctl;
    }

    /** Idempotent: {@code --may-exist} makes a retry after a half-done attach harmless. */
    public void attach(String bridge, String port) throws IOException {
        vsctl.run(List.of("--may-exist", "add-port", bridge, port));
    }

    /**
     * Adds a port of {@code type=tap}: ovs-vswitchd creates the TAP itself and reads its queue
     * directly. Also idempotent; OVS keeps the MTU across its own restarts.
     */
    public void attachOwnedTap(String bridge, String port, int mtu) throws IOException {
        vsctl.run(List.of("--may-exist", "add-port", bridge, port, "--", "set", "interface", port, "type=tap",
                "mtu_request=" + mtu));
    }

    /** Idempotent: {@code --if-exists} so teardown can always run to the end. */
    public void detach(String bridge, String port) throws IOException {
        vsctl.run(List.of("--if-exists", "del-port", bridge, port));
    }

    public List<String> ports(String bridge) throws IOException {
        return Arrays.stream(vsctl.run(List.of("list-ports", bridge)).split("\n"))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** Removes every port of {@code bridge} matching {@code ours}; returns how many. */
    public int removeMatching(String bridge, Predicate<String> ours) throws IOException {
        int removed = 0;
        for (String port : ports(bridge)) {
            if (ours.test(port)) {
                detach(bridge, port);
                removed++;
            }
        }
        return removed;
    }
}
