package org.symphonet.simulator.scenario;

import java.util.ArrayList;
import java.util.List;

import org.symphonet.simulator.bridge.SimBridge;
import org.symphonet.simulator.overlay.Overlay;
import org.symphonet.simulator.overlay.SimNode;
import org.symphonet.simulator.ring.Membership;

/**
 * Looks at the whole overlay from outside, as no node can: is the ring complete against the true
 * live set, has everything settled, how many pieces is the live overlay in.
 */
public final class RingObserver {

    private final Overlay overlay;
    private final int s;
    private List<SimNode> ring = List.of();
    private long ringEpoch = -1;

    public RingObserver(Overlay overlay, int s) {
        this.overlay = overlay;
        this.s = s;
    }

    /** Live nodes in ring order; recomputed only when some node's liveness changed. */
    List<SimNode> liveRing() {
        if (ringEpoch == overlay.aliveEpoch()) {
            return ring;
        }
        List<SimNode> live = new ArrayList<>();
        for (SimNode node : overlay.nodes()) {
            if (node.alive()) {
                live.add(node);
            }
        }
        live.sort((a, b) -> a.id().compareTo(b.id()));
        ring = List.copyOf(live);
        ringEpoch = overlay.aliveEpoch();
        return ring;
    }

    /** Every live node has an up link to each of its min(s, L-1) nearest live successors. */
    public boolean ringComplete() {
        List<SimNode> ring = liveRing();
        int l = ring.size();
        for (int i = 0; i < l; i++) {
            SimNode node = ring.get(i);
            for (int j = 1; j <= Math.min(s, l - 1); j++) {
                if (!node.linkedTo(ring.get((i + j) % l).id())) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * The ring is complete, links are symmetric, no negotiation is in flight, no node's last round
     * planned an add, every node has seen the latest presence, and no bridge reports a ring gap.
     */
    public boolean settled() {
        if (overlay.presence().hasUnpublished()) {
            return false;
        }
        Membership latest = overlay.presence().latest();
        // The cheap flags first, over every node: in a long tail a handful of nodes are still
        // adding, and the ring and link-by-link symmetry scans would otherwise run on every check.
        for (SimNode node : overlay.nodes()) {
            if (node.alive() && (node.negotiating() || node.lastAdds() > 0 || node.view() != latest || node.ringGap())) {
                return false;
            }
        }
        if (!ringComplete()) {
            return false;
        }
        for (SimNode node : overlay.nodes()) {
            if (!node.alive()) {
                continue;
            }
            for (SimBridge.Port p : node.bridge().ports()) {
                SimNode peer = overlay.node(p.peerIndex());
                if (!peer.alive() || peer.bridge().port(node.id()) == null) {
                    return false;
                }
            }
        }
        return true;
    }

    /** What still keeps the overlay from settling, counted over live nodes: for progress lines. */
    public String blockers() {
        int negotiating = 0;
        int adding = 0;
        int stale = 0;
        int gaps = 0;
        Membership latest = overlay.presence().latest();
        for (SimNode node : overlay.nodes()) {
            if (node.alive()) {
                negotiating += node.negotiating() ? 1 : 0;
                adding += node.lastAdds() > 0 ? 1 : 0;
                stale += node.view() != latest ? 1 : 0;
                gaps += node.ringGap() ? 1 : 0;
            }
        }
        return "ring " + (ringComplete() ? "complete" : "incomplete") + ", negotiating " + negotiating
                + ", adding " + adding + ", stale views " + stale + ", ring gaps " + gaps;
    }

    /** Connected components among live nodes that have been linked at least once (joiners excluded). */
    public int components() {
        List<SimNode> nodes = overlay.nodes();
        int[] parent = new int[nodes.size()];
        for (int i = 0; i < parent.length; i++) {
            parent[i] = i;
        }
        int members = 0;
        for (SimNode node : nodes) {
            if (!node.alive() || !node.everLinked()) {
                continue;
            }
            members++;
            for (SimBridge.Port p : node.bridge().ports()) {
                SimNode peer = overlay.node(p.peerIndex());
                if (peer.alive() && peer.everLinked()) {
                    union(parent, node.index(), peer.index());
                }
            }
        }
        int roots = 0;
        for (SimNode node : nodes) {
            if (node.alive() && node.everLinked() && find(parent, node.index()) == node.index()) {
                roots++;
            }
        }
        return members == 0 ? 0 : roots;
    }

    private static int find(int[] parent, int x) {
        while (parent[x] != x) {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        return x;
    }

    private static void union(int[] parent, int a, int b) {
        int ra = find(parent, a);
        int rb = find(parent, b);
        if (ra != rb) {
            parent[Math.max(ra, rb)] = Math.min(ra, rb);
        }
    }
}
