package org.symphonet.simulator.scenario;

import java.util.List;
import java.util.Random;

import org.symphonet.ofcontroller.view.NodeId;
import org.symphonet.simulator.bridge.LeafFrames;
import org.symphonet.simulator.overlay.Overlay;
import org.symphonet.simulator.overlay.SimNode;
import org.symphonet.simulator.report.Samples;

/**
 * Unicast along learned paths: a frame to a root's leaf MAC, forwarded bridge by bridge by each
 * bridge's real MAC table (what its OVS flows hold), from sampled sources until it reaches the
 * root's leaf port. Counts the hops, and the walks that find no entry, a dead peer or a loop.
 */
public final class UnicastProbe {

    private final Samples hops = new Samples();
    private long failures;

    public void walkTo(Overlay overlay, SimNode root, List<SimNode> live, int samples, Random random) {
        long mac = LeafFrames.leafMac(root.index());
        boolean all = live.size() <= samples;
        int count = all ? live.size() : samples;
        for (int i = 0; i < count; i++) {
            SimNode src = all ? live.get(i) : live.get(random.nextInt(live.size()));
            if (src == root) {
                continue;
            }
            walk(overlay, src, root, mac, live.size());
        }
    }

    private void walk(Overlay overlay, SimNode src, SimNode root, long mac, int limit) {
        SimNode cur = src;
        for (int h = 0; h <= limit; h++) {
            NodeId next = cur.bridge().nextHop(mac);
            if (next == null) {
                failures++;
                return;
            }
            if (next.equals(cur.id())) {
                if (cur == root) {
                    hops.add(h);
                } else {
                    failures++;
                }
                return;
            }
            cur = overlay.node(next);
            if (!cur.alive()) {
                failures++;
                return;
            }
        }
        failures++; // a loop
    }

    public Samples hops() {
        return hops;
    }

    public long failures() {
        return failures;
    }
}
