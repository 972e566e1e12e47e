package org.symphonet.overlay.report;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The shared bearer token, read from a file that both the collector and every node are given. One
 * line of printable ASCII without spaces (it travels in an HTTP header), surrounding whitespace and a
 * trailing newline ignored.
 */
public final class TokenFile {

    static final int MIN_LENGTH = 16;
    static final int MAX_LENGTH = 4096;

    private TokenFile() {
    }

    /** Reads and checks the token; the message of the exception is fit to show an operator. */
    public static String read(Path file) throws IOException {
        String text;
        try {
            if (Files.size(file) > MAX_LENGTH + 16) {
                throw new IOException("token file " + file + " is larger than " + MAX_LENGTH + " bytes");
            }
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (CharacterCodingException e) {
            throw new IOException("token file " + file + " is not ASCII text", e);
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("token file")) {
                throw e;
            }
            throw new IOException("cannot read token file " + file + ": " + e, e);
        }
        return check(file.toString(), text.strip());
    }

    static String check(String where, String token) throws IOException {
        if (token.length() < MIN_LENGTH) {
            throw new IOException("token in " + where + " is " + (token.isEmpty() ? "empty" : "shorter than "
                    + MIN_LENGTH + " characters") + "; generate one with: head -c 32 /dev/urandom | base64");
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c <= ' ' || c >= 127) {
                throw new IOException("token in " + where + " must be one line of printable ASCII without spaces"
                        + " (character " + (i + 1) + " is not)");
            }
        }
        return token;
    }
}
