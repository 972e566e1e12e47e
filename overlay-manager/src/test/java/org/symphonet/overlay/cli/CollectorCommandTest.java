package org.symphonet.overlay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

class CollectorCommandTest {

    @Test
    void listenAddressesParse() {
        assertEquals(new InetSocketAddress("127.0.0.1", 9420), CollectorCommand.parseListen("127.0.0.1:9420"));
        assertEquals(new InetSocketAddress(9420), CollectorCommand.parseListen(":9420"));
        assertEquals(new InetSocketAddress("::1", 80), CollectorCommand.parseListen("[::1]:80"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CollectorCommand.parseListen("9420")).getMessage()
                .contains("HOST:PORT"));
        assertThrows(IllegalArgumentException.class, () -> CollectorCommand.parseListen("h:port"));
        assertThrows(IllegalArgumentException.class, () -> CollectorCommand.parseListen("h:70000"));
    }

    @Test
    void aMissingTokenFileIsAClearErrorNotAStart(@TempDir Path dir) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        System.setErr(new PrintStream(err, true));
        try {
            int code = new CommandLine(new SymphonetMain()).execute("collector", "--token-file", dir.resolve("none").toString());
            assertEquals(2, code);
        } finally {
            System.setErr(old);
        }
        assertTrue(err.toString().contains("none"), err.toString());
    }
}
