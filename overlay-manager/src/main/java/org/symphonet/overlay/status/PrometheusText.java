package org.symphonet.overlay.status;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Renders a {@link NodeStatus} in the Prometheus text exposition format (version 0.0.4). Names follow
 * Prometheus conventions: {@code symphonet_} prefix, base units in the name ({@code _seconds},
 * {@code _bytes}), {@code _total} on counters; labels {@code overlay}, {@code peer} (node ID),
 * {@code role} (successor, shortcut, on-demand) and {@code type} (direct, reflexive, relayed; none
 * while negotiating). Peers appear as labels: an overlay has at most a few dozen links per node, so
 * cardinality stays small. packaging/grafana/symphonet.json is a dashboard for exactly these names.
 */
public final class PrometheusText {

    private PrometheusText() {
    }

    public static String render(NodeStatus s) {
        StringBuilder b = new StringBuilder(2048);
        gauge(b, "symphonet_build_info", "Always 1; the version is a label.");
        sample(b, "symphonet_build_info", Map.of("version", s.version(), "node", s.node()), 1);
        gauge(b, "symphonet_uptime_seconds", "Seconds since the node started.");
        sample(b, "symphonet_uptime_seconds", Map.of(), s.uptimeSeconds());

        gauge(b, "symphonet_xmpp_connected", "1 while logged in to the XMPP server.");
        sample(b, "symphonet_xmpp_connected", Map.of(), s.xmpp().connected() ? 1 : 0);
        gauge(b, "symphonet_xmpp_tls", "1 while the XMPP session is encrypted.");
        sample(b, "symphonet_xmpp_tls", Map.of(), s.xmpp().tls() ? 1 : 0);
        gauge(b, "symphonet_xmpp_peers", "Trusted peers currently online.");
        sample(b, "symphonet_xmpp_peers", Map.of(), s.xmpp().peers());
        counter(b, "symphonet_signal_messages_total", "Signaling messages by outcome.");
        sample(b, "symphonet_signal_messages_total", Map.of("outcome", "received"), s.xmpp().received());
        sample(b, "symphonet_signal_messages_total", Map.of("outcome", "sent"), s.xmpp().sent());
        sample(b, "symphonet_signal_messages_total", Map.of("outcome", "dropped"), s.xmpp().dropped());
        counter(b, "symphonet_xmpp_reconnects_total", "Times the XMPP connection was lost and retried.");
        sample(b, "symphonet_xmpp_reconnects_total", Map.of(), s.xmpp().reconnects());
        NodeStatus.Wire w = s.xmpp().wire();
        if (w != null) {
            counter(b, "symphonet_xmpp_stanzas_total", "Stanzas of every kind on the XMPP connection, by direction.");
            sample(b, "symphonet_xmpp_stanzas_total", Map.of("direction", "received"), w.stanzasIn());
            sample(b, "symphonet_xmpp_stanzas_total", Map.of("direction", "sent"), w.stanzasOut());
            counter(b, "symphonet_xmpp_bytes_total", "Bytes on the XMPP connection's TCP stream, by direction.");
            sample(b, "symphonet_xmpp_bytes_total", Map.of("direction", "received"), w.bytesIn());
            sample(b, "symphonet_xmpp_bytes_total", Map.of("direction", "sent"), w.bytesOut());
        }

        gauge(b, "symphonet_overlay_members", "Online members of the overlay known to this node, self included.");
        for (NodeStatus.Overlay o : s.overlays()) {
            sample(b, "symphonet_overlay_members", Map.of("overlay", o.id()), o.members());
        }
        gauge(b, "symphonet_overlay_ring_gap", "1 when a known member lies between this node and its first peer.");
        for (NodeStatus.Overlay o : s.overlays()) {
            sample(b, "symphonet_overlay_ring_gap", Map.of("overlay", o.id()), o.ringGap() ? 1 : 0);
        }
        gauge(b, "symphonet_links", "Links by role, state and type.");
        for (NodeStatus.Overlay o : s.overlays()) {
            Map<String, Integer> counts = new TreeMap<>();
            for (NodeStatus.Link l : o.links()) {
                counts.merge(l.role() + "\u0000" + l.state() + "\u0000" + type(l), 1, Integer::sum);
            }
            for (Map.Entry<String, Integer> c : counts.entrySet()) {
                String[] k = c.getKey().split("\u0000");
                sample(b, "symphonet_links", Map.of("overlay", o.id(), "role", k[0], "state", k[1], "type", k[2]),
                        c.getValue());
            }
        }
        gauge(b, "symphonet_link_rtt_seconds", "Last keepalive round trip per link.");
        for (NodeStatus.Overlay o : s.overlays()) {
            for (NodeStatus.Link l : o.links()) {
                if (l.rttMillis() >= 0) {
                    sample(b, "symphonet_link_rtt_seconds", Map.of("overlay", o.id(), "peer", l.peer(),
                            "type", l.type()), l.rttMillis() / 1000.0);
                }
            }
        }
        gauge(b, "symphonet_traffic_bytes_per_second", "Last measured rate toward each remote bridge (drives on-demand links).");
        for (NodeStatus.Overlay o : s.overlays()) {
            for (NodeStatus.Traffic t : o.traffic()) {
                sample(b, "symphonet_traffic_bytes_per_second", Map.of("overlay", o.id(), "peer", t.peer()), t.bytesPerSecond());
            }
        }
        counter(b, "symphonet_link_bytes_total", "Bytes carried per link and direction.");
        for (NodeStatus.Overlay o : s.overlays()) {
            for (NodeStatus.Link l : o.links()) {
                for (String dir : new String[] {"in", "out"}) {
                    sample(b, "symphonet_link_bytes_total", Map.of("overlay", o.id(), "peer", l.peer(), "direction", dir,
                            "role", l.role(), "type", type(l)), dir.equals("in") ? l.bytesIn() : l.bytesOut());
                }
            }
        }
        gauge(b, "symphonet_link_age_seconds", "Seconds since the link came up (0 while negotiating).");
        for (NodeStatus.Overlay o : s.overlays()) {
            for (NodeStatus.Link l : o.links()) {
                sample(b, "symphonet_link_age_seconds", Map.of("overlay", o.id(), "peer", l.peer(), "role", l.role(),
                        "type", type(l)), l.ageSeconds());
            }
        }
        gauge(b, "symphonet_switch_leaf_macs", "MAC addresses learned on this node's own leaf ports.");
        for (NodeStatus.Overlay o : s.overlays()) {
            sample(b, "symphonet_switch_leaf_macs", Map.of("overlay", o.id()), o.leafMacs());
        }
        // The switch's counters (FRBs sent, received, duplicates, malformed, hop-limit drops, ...), one
        // family per counter, as the standalone controller names them, labelled by overlay.
        Set<String> names = new LinkedHashSet<>();
        s.overlays().forEach(o -> names.addAll(o.switchCounters().keySet()));
        for (String name : names) {
            String metric = "symphonet_switch_" + name + "_total";
            counter(b, metric, "Switch counter " + name.replace('_', ' ') + ".");
            for (NodeStatus.Overlay o : s.overlays()) {
                Long v = o.switchCounters().get(name);
                if (v != null) {
                    sample(b, metric, Map.of("overlay", o.id()), v);
                }
            }
        }
        return b.toString();
    }

    /** A link's type label: none until the tunnel is up and its type known. */
    private static String type(NodeStatus.Link l) {
        return l.type() == null || !"up".equals(l.state()) ? "none" : l.type();
    }

    private static void gauge(StringBuilder b, String name, String help) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n');
        b.append("# TYPE ").append(name).append(" gauge\n");
    }

    private static void counter(StringBuilder b, String name, String help) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n');
        b.append("# TYPE ").append(name).append(" counter\n");
    }

    private static void sample(StringBuilder b, String name, Map<String, String> labels, double value) {
        b.append(name);
        if (!labels.isEmpty()) {
            b.append('{');
            boolean first = true;
            for (Map.Entry<String, String> l : new TreeMap<>(labels).entrySet()) {
                if (!first) {
                    b.append(',');
                }
                first = false;
                b.append(l.getKey()).append("=\"").append(escape(l.getValue())).append('"');
            }
            b.append('}');
        }
        b.append(' ');
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            b.append((long) value);
        } else {
            b.append(String.format(Locale.ROOT, "%s", value));
        }
        b.append('\n');
    }

    static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
