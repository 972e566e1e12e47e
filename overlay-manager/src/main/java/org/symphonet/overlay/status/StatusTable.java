package org.symphonet.overlay.status;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@link NodeStatus} as the plain-text tables {@code symphonet status} prints: one header block,
 * then one table of links per overlay.
 */
public final class StatusTable {

    private StatusTable() {
    }

    public static String render(NodeStatus s) {
        StringBuilder b = new StringBuilder();
        b.append("node ").append(s.node()).append("  version ").append(s.version())
                .append("  up ").append(age(s.uptimeSeconds())).append('\n');
        NodeStatus.Xmpp x = s.xmpp();
        b.append("xmpp ").append(x.jid()).append("  ").append(x.connected() ? "connected" : "DISCONNECTED")
                .append(x.tls() ? " (tls)" : "").append("  peers ").append(x.peers())
                .append("  msgs in/out/dropped ").append(x.received()).append('/').append(x.sent()).append('/')
                .append(x.dropped()).append("  reconnects ").append(x.reconnects())
                .append(x.server() == null ? "" : "  server " + x.server());
        if (x.wire() != null) {
            b.append("  stanzas in/out ").append(x.wire().stanzasIn()).append('/').append(x.wire().stanzasOut())
                    .append("  bytes in/out ").append(bytes(x.wire().bytesIn())).append('/').append(bytes(x.wire().bytesOut()));
        }
        b.append('\n');
        for (NodeStatus.Overlay o : s.overlays()) {
            b.append('\n').append("overlay ").append(o.id()).append("  bridge ").append(o.bridge())
                    .append("  members ").append(o.members()).append("  links ").append(o.links().size())
                    .append(o.ringGap() ? "  RING GAP" : "").append('\n');
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"PEER", "JID", "ROLE", "DIR", "STATE", "TYPE", "RTT", "IN", "OUT", "AGE"});
            for (NodeStatus.Link l : o.links()) {
                rows.add(new String[] {l.peer().length() > 8 ? l.peer().substring(0, 8) : l.peer(), l.peerJid(),
                        l.role(), l.direction().equals("outbound") ? "out" : "in", l.state(), l.type(),
                        l.rttMillis() < 0 ? "-" : String.format(Locale.ROOT, "%.1fms", l.rttMillis()),
                        bytes(l.bytesIn()), bytes(l.bytesOut()), age(l.ageSeconds())});
            }
            table(b, rows);
            for (NodeStatus.Traffic t : o.traffic()) {
                b.append("traffic to ").append(t.peer().length() > 8 ? t.peer().substring(0, 8) : t.peer()).append(' ')
                        .append(bytes((long) t.bytesPerSecond())).append("/s (").append(age(t.ageSeconds())).append(" ago)\n");
            }
        }
        return b.toString();
    }

    private static void table(StringBuilder b, List<String[]> rows) {
        // A link still negotiating has no type yet, a peer may have no JID in view: print a dash.
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                if (r[i] == null) {
                    r[i] = "-";
                }
            }
        }
        int[] width = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                line.append(r[i]).append(" ".repeat(width[i] - r[i].length() + (i < r.length - 1 ? 2 : 0)));
            }
            b.append(line.toString().stripTrailing()).append('\n');
        }
    }

    static String bytes(long n) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? n + "B" : String.format(Locale.ROOT, "%.1f%s", v, units[u]);
    }

    static String age(long seconds) {
        if (seconds < 120) {
            return seconds + "s";
        }
        if (seconds < 7200) {
            return seconds / 60 + "m";
        }
        if (seconds < 172800) {
            return seconds / 3600 + "h";
        }
        return seconds / 86400 + "d";
    }
}
