package org.symphonet.overlay.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.symphonet.ofcontroller.metrics.BridgeCounters;

/** Every family of a node's /metrics follows the Prometheus naming conventions Grafana users expect. */
class PrometheusTextTest {

    private static final Set<String> LABELS = Set.of("overlay", "peer", "role", "type", "state", "direction", "outcome",
            "version", "node");
    private static final Pattern SAMPLE = Pattern.compile("([a-z_:][a-z0-9_:]*)(\\{(.*)})? (-?[0-9.eE+-]+|NaN)");
    private static final Pattern LABEL = Pattern.compile("([a-z_]+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    static NodeStatus full() {
        return FULL;
    }

    private static final NodeStatus FULL = new NodeStatus("0123456789abcdef0123456789abcdef", "0.1.0", 42,
            StatusServerTest.SAMPLE.xmpp(), List.of(
                    new NodeStatus.Overlay("lan1", "symbr0", 4, false, StatusServerTest.SAMPLE.overlays().get(0).links(), StatusServerTest.SAMPLE.overlays().get(0).traffic(), 3,
                            orderedCounters()),
                    new NodeStatus.Overlay("lab", "symbr1", 1, true, List.of(), List.of(), 0, Map.of())));

    /** The switch's real counter names, so the names checked here are the ones a node exports. */
    private static Map<String, Long> orderedCounters() {
        BridgeCounters c = new BridgeCounters();
        c.frbSent.add(12);
        return c.snapshot();
    }

    @Test
    void namesUnitsLabelsAndTypesFollowTheConventions() {
        String text = PrometheusText.render(FULL);
        Map<String, String> types = new HashMap<>();
        Set<String> series = new HashSet<>();
        String family = null;
        Set<String> closed = new HashSet<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("# HELP ")) {
                continue;
            }
            if (line.startsWith("# TYPE ")) {
                String[] p = line.split(" ");
                assertTrue(p[2].startsWith("symphonet_"), "prefix: " + line);
                assertTrue(p[3].equals("gauge") || p[3].equals("counter"), line);
                assertEquals(p[3].equals("counter"), p[2].endsWith("_total"), "_total exactly on counters: " + line);
                assertTrue(!p[2].contains("millis") && !p[2].contains("_ms") && !p[2].contains("kbytes"), "base units: " + line);
                assertTrue(types.put(p[2], p[3]) == null, "declared once: " + line);
                if (family != null) {
                    closed.add(family);
                }
                family = p[2];
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            assertTrue(m.matches(), "sample syntax: " + line);
            assertEquals(family, m.group(1), "samples follow their TYPE line, grouped: " + line);
            assertTrue(!closed.contains(m.group(1)));
            if (m.group(3) != null) {
                Matcher l = LABEL.matcher(m.group(3));
                while (l.find()) {
                    assertTrue(LABELS.contains(l.group(1)), "label name " + l.group(1));
                }
            }
            assertTrue(series.add(m.group(1) + m.group(2)), "one sample per series: " + line);
        }
        assertEquals("counter", types.get("symphonet_switch_frb_sent_total"));
        assertTrue(text.contains("symphonet_switch_frb_sent_total{overlay=\"lan1\"} 12\n"), text);
        assertTrue(text.contains("symphonet_switch_leaf_macs{overlay=\"lan1\"} 3\n"), text);
        assertEquals("counter", types.get("symphonet_xmpp_stanzas_total"));
        assertEquals("counter", types.get("symphonet_xmpp_bytes_total"));
        assertTrue(text.contains("symphonet_xmpp_stanzas_total{direction=\"received\"} 120\n"), text);
        assertTrue(text.contains("symphonet_xmpp_bytes_total{direction=\"sent\"} 31000\n"), text);
        assertTrue(text.contains("symphonet_overlay_ring_gap{overlay=\"lab\"} 1\n"), text);
        assertTrue(text.contains("symphonet_link_age_seconds{overlay=\"lan1\",peer=\"fedcba9876543210fedcba9876543210\","
                + "role=\"successor\",type=\"direct\"} 30\n"), text);
    }
}
