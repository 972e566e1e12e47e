package org.symphonet.collector;

import java.util.List;
import java.util.Map;

/**
 * One overlay as the collector sees it, put together from the reports of all its nodes: what the
 * dashboard draws and {@code GET /api/v1/overlays/<id>} returns. Immutable.
 *
 * @param generatedAt milliseconds since the epoch
 * @param nodes       ordered by node ID (the ring order)
 */
public record OverlayView(String id, long generatedAt, List<Node> nodes, List<Link> links) {

    public OverlayView {
        nodes = List.copyOf(nodes);
        links = List.copyOf(links);
    }

    /**
     * A node of the overlay.
     *
     * @param state          {@code online}; {@code offline} when its reports stopped; {@code unreported} when it
     *                       is only known as the peer of a link (it does not report to this collector)
     * @param lastSeenMillis when its last report arrived; 0 for unreported nodes
     * @param upLinks        links in state up in its own report
     */
    public record Node(String id, String state, String jid, String version, long lastSeenMillis, long uptimeSeconds,
                       boolean xmppConnected, int members, boolean ringGap, int leafMacs, int upLinks,
                       Map<String, Long> counters) {
        public Node {
            counters = counters == null ? Map.of() : counters;
        }
    }

    /**
     * A link, merged from what both ends report.
     *
     * @param a          the end that asked for the link (when known; else the smaller ID)
     * @param kind       successor, shortcut or on-demand
     * @param type       direct, reflexive or relayed; null while negotiating
     * @param state      up when an end reports it up, else the phase an end reports
     * @param rttMillis  mean of the round trips the ends measured; negative when none did
     * @param bytesAtoB  bytes carried from a to b, as the reports tell
     * @param reporters  how many ends report the link (1 or 2)
     */
    public record Link(String a, String b, String kind, String type, String state, double rttMillis, long bytesAtoB,
                       long bytesBtoA, long ageSeconds, int reporters) {
    }
}
