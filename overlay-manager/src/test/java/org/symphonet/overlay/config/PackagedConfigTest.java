package org.symphonet.overlay.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** The sample /etc/symphonet/node.yaml the Debian package installs is a valid configuration, report block included. */
class PackagedConfigTest {

    private static final Path SAMPLE = Path.of("../packaging/deb/files/node.yaml");

    @Test
    void theSampleLoads() throws Exception {
        NodeConfig c = new ConfigLoader().load(SAMPLE);
        assertEquals(NodeConfig.DEFAULT_STATE_DIR, c.stateDir());
        assertTrue(c.report().isEmpty(), "reporting is off until the operator enables it");
    }

    @Test
    void itsCommentedReportBlockLoadsOnceUncommented() throws Exception {
        String sample = Files.readString(SAMPLE);
        int at = sample.indexOf("#report:");
        String text = sample.substring(0, at) + sample.substring(at).replace("#report:", "report:").replace("#  ", "  ");
        assertTrue(new ConfigLoader().parse(SAMPLE, text).report().isPresent());
    }
}
