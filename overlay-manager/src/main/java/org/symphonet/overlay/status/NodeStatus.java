package org.symphonet.overlay.status;

import java.util.List;

/**
 * Everything the status endpoint shows, as one immutable snapshot. Field names are the JSON
 * names; {@code symphonet status} reads the same records back.
 */
public record NodeStatus(String node, String version, long uptimeSeconds, Xmpp xmpp, List<Overlay> overlays) {

    public NodeStatus {
        overlays = List.copyOf(overlays);
    }

    /** The signaling session. */
    public record Xmpp(String jid, boolean connected, boolean tls, int peers, long received, long sent, long dropped,
                       long reconnects) {
    }

    /**
     * One overlay on this node.
     *
     * @param traffic the switch's last measurement of bytes per second toward remote bridges, busiest
     *                first: what on-demand links are decided from
     */
    public record Overlay(String id, String bridge, int members, boolean ringGap, List<Link> links, List<Traffic> traffic) {
        public Overlay {
            links = List.copyOf(links);
            traffic = traffic == null ? List.of() : List.copyOf(traffic);
        }
    }

    /** Bytes per second this node's bridge forwarded toward one remote node's leaves, last measured {@code ageSeconds} ago. */
    public record Traffic(String peer, double bytesPerSecond, long ageSeconds) {
    }

    /**
     * One link.
     *
     * @param role      successor, shortcut or on-demand
     * @param direction outbound (we asked) or inbound
     * @param state     negotiating or up
     * @param type      direct, reflexive, relayed, or unknown while negotiating
     * @param rttMillis last keepalive round trip; negative when not measured yet
     */
    public record Link(String peer, String peerJid, String role, String direction, String state, String type,
                       double rttMillis, long bytesIn, long bytesOut, long ageSeconds) {
    }
}
