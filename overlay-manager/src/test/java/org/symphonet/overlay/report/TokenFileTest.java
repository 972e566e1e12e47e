package org.symphonet.overlay.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenFileTest {

    @TempDir
    Path dir;

    private Path write(String text) throws IOException {
        Path f = dir.resolve("token");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void surroundingWhitespaceAndNewlineAreIgnored() throws Exception {
        assertEquals("s3cr3t-t0ken-0123456789", TokenFile.read(write("  s3cr3t-t0ken-0123456789\n")));
    }

    @Test
    void emptyShortSpacedOrMissingTokensAreRefusedWithTheFileName() throws Exception {
        assertTrue(assertThrows(IOException.class, () -> TokenFile.read(write("\n"))).getMessage().contains("empty"));
        assertTrue(assertThrows(IOException.class, () -> TokenFile.read(write("short"))).getMessage().contains("shorter"));
        assertTrue(assertThrows(IOException.class, () -> TokenFile.read(write("two words in a token file")))
                .getMessage().contains("without spaces"));
        assertTrue(assertThrows(IOException.class, () -> TokenFile.read(write("0123456789abcdef\n0123456789abcdef")))
                .getMessage().contains("one line"));
        IOException missing = assertThrows(IOException.class, () -> TokenFile.read(dir.resolve("nope")));
        assertTrue(missing.getMessage().contains("nope"), missing.getMessage());
    }

    @Test
    void nonAsciiIsRefused() throws Exception {
        Path f = dir.resolve("token");
        Files.write(f, new byte[] {'a', 'b', (byte) 0xc3, (byte) 0xa9, 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o'});
        assertThrows(IOException.class, () -> TokenFile.read(f));
    }
}
