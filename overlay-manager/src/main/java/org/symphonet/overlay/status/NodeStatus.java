package org.symphonet.overlay.status;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the status endpoint shows, as one immutable snapshot. Field names are the JSON
 * names; {@code symphonet status} reads the same records back.
 */
public record NodeStatus(String node, String version, long uptimeSeconds, Xmpp xmpp, List<Overlay> overlays,
                         Timeline timeline) {

    public NodeStatus {
        overlays = List.copyOf(overlays);
        timeline = timeline == null ? Timeline.EMPTY : timeline;
    }

    /** Without a start-up timeline (tests, reports of nodes that do not record one). */
    public NodeStatus(String node, String version, long uptimeSeconds, Xmpp xmpp, List<Overlay> overlays) {
        this(node, version, uptimeSeconds, xmpp, overlays, Timeline.EMPTY);
    }

    /**
     * How this node's start went: when each phase was first reached, in seconds since the process
     * started, in the order reached (bridge-connected, xmpp-online, first-link-requested, links-up),
     * and the CPU seconds the process had used when its successor links were all up (negative until
     * then). What shows which phase holds an overlay's formation back. {@code cpuSeconds}: the CPU
     * seconds used when each phase was reached (empty in reports of older nodes), so a node's
     * start-up CPU splits by phase as its time does.
     */
    public record Timeline(Map<String, Double> phases, double cpuSecondsAtLinksUp, Map<String, Double> cpuSeconds) {
        public static final Timeline EMPTY = new Timeline(Map.of(), -1, Map.of());

        public Timeline {
            phases = phases == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(phases));
            cpuSeconds = cpuSeconds == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(cpuSeconds));
        }
    }

    /**
     * The signaling session.
     *
     * @param server the configured XMPP server in use or being tried; null in reports of older nodes
     * @param wire   stanzas and bytes the connection carried since start, both directions; null in
     *               reports of older nodes
     */
    public record Xmpp(String jid, boolean connected, boolean tls, int peers, long received, long sent, long dropped,
                       long reconnects, String server, Wire wire) {

        /** Without server and wire figures. */
        public Xmpp(String jid, boolean connected, boolean tls, int peers, long received, long sent, long dropped,
                    long reconnects) {
            this(jid, connected, tls, peers, received, sent, dropped, reconnects, null, null);
        }
    }

    /** What the node's XMPP connection carried: every stanza (presence, message, IQ) and the TCP bytes. */
    public record Wire(long stanzasIn, long stanzasOut, long bytesIn, long bytesOut) {
    }

    /**
     * One overlay on this node.
     *
     * @param traffic        the switch's last measurement of bytes per second toward remote bridges,
     *                       busiest first: what on-demand links are decided from
     * @param leafMacs       MAC addresses the switch learned on this node's own leaf ports
     * @param switchCounters the bridge's switch counters (packet-ins, FRBs sent/received/duplicate/
     *                       malformed, hop-limit drops, ...) by name, in a stable order; empty while the
     *                       bridge is not connected
     */
    public record Overlay(String id, String bridge, int members, boolean ringGap, List<Link> links, List<Traffic> traffic,
                          int leafMacs, Map<String, Long> switchCounters) {
        public Overlay {
            links = List.copyOf(links);
            traffic = traffic == null ? List.of() : List.copyOf(traffic);
            switchCounters = switchCounters == null ? Map.of()
                    : Collections.unmodifiableMap(new LinkedHashMap<>(switchCounters));
        }

        /** Without switch figures (a bridge not connected yet). */
        public Overlay(String id, String bridge, int members, boolean ringGap, List<Link> links) {
            this(id, bridge, members, ringGap, links, List.of(), 0, Map.of());
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
