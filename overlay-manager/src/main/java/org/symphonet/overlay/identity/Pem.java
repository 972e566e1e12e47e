package org.symphonet.overlay.identity;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** The two PEM blocks the state directory holds; small enough not to need a PEM library. */
final class Pem {

    static final String CERTIFICATE = "CERTIFICATE";
    static final String PRIVATE_KEY = "PRIVATE KEY";

    private Pem() {
    }

    static byte[] encode(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return ("-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** The DER inside the first block of {@code type}; IllegalArgumentException when there is none. */
    static byte[] decode(String type, String text) {
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int b = text.indexOf(begin);
        int e = text.indexOf(end, b < 0 ? 0 : b);
        if (b < 0 || e < 0) {
            throw new IllegalArgumentException("no PEM block '" + type + "'");
        }
        return Base64.getMimeDecoder().decode(text.substring(b + begin.length(), e));
    }
}
