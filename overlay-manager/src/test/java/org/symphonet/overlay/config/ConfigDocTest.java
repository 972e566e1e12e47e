package org.symphonet.overlay.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** Keeps CONFIG.md honest: its example loads, and its table states the defaults the code uses. */
class ConfigDocTest {

    private static final Path DOC = Path.of("CONFIG.md");

    @Test
    void exampleInDocLoads() throws Exception {
        String doc = Files.readString(DOC);
        Matcher m = Pattern.compile("```yaml\n(.*?)```", Pattern.DOTALL).matcher(doc);
        assertTrue(m.find(), "CONFIG.md has a yaml example");
        NodeConfig c = new ConfigLoader().parse(DOC, m.group(1));
        assertEquals(2, c.overlays().size());
        assertTrue(c.report().isPresent(), "the example shows reporting");
    }

    @Test
    void tableStatesTheCodeDefaults() throws Exception {
        String doc = Files.readString(DOC);
        String[][] rows = {
                {"`state-dir`", "`" + NodeConfig.DEFAULT_STATE_DIR + "`"},
                {"`status-port`", "`" + NodeConfig.DEFAULT_STATUS_PORT + "`"},
                {"`xmpp.port`", "`" + XmppConfig.DEFAULT_PORT + "`"},
                {"`xmpp.tls`", "`" + XmppConfig.DEFAULT_TLS.yaml() + "`"},
                {"`xmpp.resource`", "`" + XmppConfig.DEFAULT_RESOURCE + "`"},
                {"`xmpp.presence-interval`", "`" + DurationText.format(XmppConfig.DEFAULT_PRESENCE_INTERVAL) + "`"},
                {"`ice.stun[].port`", "`" + StunServer.DEFAULT_PORT + "`"},
                {"`ice.turn[].port`", "`" + TurnServer.DEFAULT_PORT + "`"},
                {"`overlays[].mtu`", "`" + OverlayConfig.DEFAULT_MTU + "`"},
                {"`overlays[].successors`", "`" + OverlayConfig.DEFAULT_SUCCESSORS + "`"},
                {"`overlays[].max-shortcuts`", "`" + OverlayConfig.DEFAULT_MAX_SHORTCUTS + "`"},
                {"`overlays[].max-links`", "`" + OverlayConfig.DEFAULT_MAX_LINKS + "`"},
                {"`overlays[].on-demand.threshold`", "`" + OnDemandConfig.DEFAULT_THRESHOLD + "`"},
                {"`overlays[].on-demand.idle`", "`" + DurationText.format(OnDemandConfig.DEFAULT_IDLE) + "`"},
                {"`overlays[].on-demand.max-links`", "`" + OnDemandConfig.DEFAULT_MAX_LINKS + "`"},
                {"`report.interval`", "`" + DurationText.format(ReportConfig.DEFAULT_INTERVAL) + "`"},
        };
        for (String[] r : rows) {
            String row = doc.lines().filter(l -> l.startsWith("| " + r[0] + " |")).findFirst().orElse(null);
            assertTrue(row != null, "row for " + r[0]);
            // Cells are split on pipes that are not escaped (types list choices as a \| b).
            String[] cells = row.split("(?<!\\\\)\\|");
            assertEquals(r[1], cells[3].trim(), r[0]);
        }
    }
}
