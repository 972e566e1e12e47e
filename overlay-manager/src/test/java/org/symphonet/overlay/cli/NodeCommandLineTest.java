package org.symphonet.overlay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeCommandLineTest {

    @Test
    void theNodeAloneParsesAsUnderTheFullCommandLine() {
        assertEquals("symphonet node", SymphonetMain.nodeCommandLine().getCommandName());
        assertEquals(SymphonetMain.commandLine().execute("node"), SymphonetMain.nodeCommandLine().execute(),
                "a missing --config is the same usage error either way");
    }

    @Test
    void aBadConfigurationIsAConfigurationError(@TempDir Path dir) throws Exception {
        Path cfg = Files.writeString(dir.resolve("node.yaml"), "overlays: [");
        assertEquals(2, SymphonetMain.nodeCommandLine().execute("--config", cfg.toString()));
        assertEquals(2, SymphonetMain.commandLine().execute("node", "--config", cfg.toString()));
    }

    @Test
    void thePlainNodeCommandIsReadWithoutPicocli() {
        assertEquals(Path.of("/etc/symphonet/node.yaml"), SymphonetMain.plainNodeConfig(new String[] {"node", "--config", "/etc/symphonet/node.yaml"}));
        assertEquals(Path.of("n.yaml"), SymphonetMain.plainNodeConfig(new String[] {"node", "-c", "n.yaml"}));
        assertEquals(Path.of("n.yaml"), SymphonetMain.plainNodeConfig(new String[] {"node", "--config=n.yaml"}));
    }

    @Test
    void everythingElseGoesToPicocli() {
        assertNull(SymphonetMain.plainNodeConfig(new String[] {"node"}));
        assertNull(SymphonetMain.plainNodeConfig(new String[] {"node", "--help"}));
        assertNull(SymphonetMain.plainNodeConfig(new String[] {"node", "--config"}));
        assertNull(SymphonetMain.plainNodeConfig(new String[] {"node", "--config", "--help"}));
        assertNull(SymphonetMain.plainNodeConfig(new String[] {"node", "--config="}));
        assertNull(SymphonetMain.plainNodeConfig(new String[] {"node", "--config", "a", "extra"}));
        assertNull(SymphonetMain.plainNodeConfig(new String[] {"status", "--config", "a"}));
        assertNull(SymphonetMain.plainNodeConfig(new String[] {"node", "--cfg", "a"}));
    }
}
