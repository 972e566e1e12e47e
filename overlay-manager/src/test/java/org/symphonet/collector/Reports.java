package org.symphonet.collector;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.symphonet.overlay.report.NodeReport;
import org.symphonet.overlay.status.NodeStatus;

/** Builds reports for the collector's tests. */
final class Reports {

    private Reports() {
    }

    /** Node ID number {@code n}: 32 hex digits, ordered like n. */
    static String id(int n) {
        return String.format("%032x", n);
    }

    static NodeStatus.Link up(int peer, String role, String direction, String type) {
        return new NodeStatus.Link(id(peer), "node" + peer + "@x", role, direction, "up", type, 1.5, 100, 200, 30);
    }

    static NodeStatus.Link negotiating(int peer, String role, String direction) {
        return new NodeStatus.Link(id(peer), "node" + peer + "@x", role, direction, "connecting", null, -1, 0, 0, 0);
    }

    static NodeReport report(int node, long seq, String overlay, NodeStatus.Link... links) {
        return report(node, seq, 1000, overlay, links);
    }

    static NodeReport report(int node, long seq, long intervalMillis, String overlay, NodeStatus.Link... links) {
        List<NodeStatus.Overlay> overlays = new ArrayList<>();
        overlays.add(new NodeStatus.Overlay(overlay, "br-" + overlay, 3, false, List.of(links), List.of(), 1,
                Map.of("frb_sent", 5L, "frb_duplicates", 0L)));
        return new NodeReport(NodeReport.SCHEMA, seq, intervalMillis, new NodeStatus(id(node), "0.1.0", 60,
                new NodeStatus.Xmpp("node" + node + "@x", true, true, 2, 10, 11, 0, 0), overlays));
    }
}
