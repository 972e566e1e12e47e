package org.symphonet.it.node;

import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the overlay's nodes cost the XMPP tier, from the nodes' own counters (status JSON
 * {@code xmpp.wire}): stanzas and bytes per second per node, both directions summed over the nodes
 * and divided by their number. Printed by tests as a figure, never asserted on (timing-dependent).
 */
record XmppCost(int nodes, double seconds, double stanzasInPerNode, double stanzasOutPerNode, double bytesInPerNode,
                double bytesOutPerNode) {

    /** Sums of stanzas in, stanzas out, bytes in, bytes out over every trusted host. */
    static long[] totals(OverlayNodesBase t) {
        long[] sum = new long[4];
        for (int i = 0; i < OverlayNodesBase.HOSTS; i++) {
            JsonNode w = t.status(i).path("xmpp").path("wire");
            sum[0] += w.path("stanzasIn").asLong();
            sum[1] += w.path("stanzasOut").asLong();
            sum[2] += w.path("bytesIn").asLong();
            sum[3] += w.path("bytesOut").asLong();
        }
        return sum;
    }

    static XmppCost since(OverlayNodesBase t, long[] before, long nanos) {
        long[] after = totals(t);
        double s = nanos / 1e9;
        int n = OverlayNodesBase.HOSTS;
        return new XmppCost(n, s, (after[0] - before[0]) / s / n, (after[1] - before[1]) / s / n,
                (after[2] - before[2]) / s / n, (after[3] - before[3]) / s / n);
    }

    static XmppCost sample(OverlayNodesBase t, Duration d) throws InterruptedException {
        long[] before = totals(t);
        long start = System.nanoTime();
        Thread.sleep(d.toMillis());
        return since(t, before, System.nanoTime() - start);
    }

    @Override
    public String toString() {
        return String.format("%d nodes over %.0f s, per node: %.2f stanzas/s in, %.2f out, %.0f B/s in, %.0f B/s out",
                nodes, seconds, stanzasInPerNode, stanzasOutPerNode, bytesInPerNode, bytesOutPerNode);
    }
}
