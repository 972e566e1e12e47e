package org.symphonet.overlay.topology;

import java.util.LinkedHashSet;
import java.util.Random;
import java.util.Set;

import org.symphonet.ofcontroller.view.NodeId;

/** Test helpers for making node IDs. */
final class Ids {

    private Ids() {
    }

    /** An ID at {@code fraction} of the ring (for hand-made rings). */
    static NodeId at(double fraction) {
        return Ring.offset(fraction);
    }

    static NodeId random(Random r) {
        return new NodeId(r.nextLong(), r.nextLong());
    }

    static Set<NodeId> randomSet(Random r, int n) {
        Set<NodeId> s = new LinkedHashSet<>();
        while (s.size() < n) {
            s.add(random(r));
        }
        return s;
    }
}
