package org.symphonet.simulator.scenario;

import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;

import org.symphonet.ofcontroller.flood.Frb;
import org.symphonet.simulator.bridge.DeliveryListener;
import org.symphonet.simulator.bridge.LeafFrames;
import org.symphonet.simulator.report.Samples;

/**
 * The observer's account of every broadcast: who should get it (the live, linked nodes when it
 * started), who did and how deep, how many FRBs it cost. Reads only what a leaf and a wire would
 * see; the flood engines are never asked.
 */
public final class BroadcastLedger implements DeliveryListener {

    /** One broadcast's account. */
    public static final class Tally {
        final long id;
        final int root;
        final BitSet expected;
        final BitSet reached = new BitSet();
        final Samples depths = new Samples();
        long frbs;
        long repeatDeliveries;
        long unexpectedDeliveries;

        Tally(long id, int root, BitSet expected) {
            this.id = id;
            this.root = root;
            this.expected = expected;
        }

        public long frbs() {
            return frbs;
        }

        public int expectedCount() {
            return expected.cardinality();
        }

        public int reachedExpected() {
            BitSet b = (BitSet) reached.clone();
            b.and(expected);
            return b.cardinality();
        }

        public int misses() {
            return expectedCount() - reachedExpected();
        }

        public long repeatDeliveries() {
            return repeatDeliveries;
        }

        public long unexpectedDeliveries() {
            return unexpectedDeliveries;
        }

        public Samples depths() {
            return depths;
        }

        public int root() {
            return root;
        }

        /** Exactly one delivery at each expected node and none elsewhere. */
        public boolean exactlyOnce() {
            return misses() == 0 && repeatDeliveries == 0 && unexpectedDeliveries == 0;
        }
    }

    private final Map<Long, Tally> tallies = new LinkedHashMap<>();

    public Tally begin(long id, int root, BitSet expected) {
        Tally t = new Tally(id, root, expected);
        tallies.put(id, t);
        return t;
    }

    public Tally tally(long id) {
        return tallies.get(id);
    }

    public void frbSent(long id) {
        Tally t = tallies.get(id);
        if (t != null) {
            t.frbs++;
        }
    }

    @Override
    public void delivered(int node, Frb frb) {
        Tally t = tallies.get(LeafFrames.broadcastOf(frb.payload()));
        if (t == null) {
            return;
        }
        if (t.reached.get(node)) {
            t.repeatDeliveries++;
            return;
        }
        t.reached.set(node);
        if (!t.expected.get(node)) {
            t.unexpectedDeliveries++;
        }
        // hops counts bridges crossed before this one: the root's own FRBs carry 0.
        t.depths.add(frb.hops() + 1);
    }
}
