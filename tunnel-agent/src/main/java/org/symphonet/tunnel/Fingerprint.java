package org.symphonet.tunnel;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

/**
 * SHA-256 fingerprint of a DER certificate. Canonical text form is 64 lowercase
 * hex digits; colons and upper case are accepted on input because operators
 * paste them from openssl output.
 */
public final class Fingerprint {
    private static final int LENGTH = 32;
    private final byte[] digest;

    private Fingerprint(byte[] digest) {
        this.digest = digest;
    }

    public static Fingerprint ofCertificate(byte[] der) {
        try {
            return new Fingerprint(MessageDigest.getInstance("SHA-256").digest(der));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK without SHA-256", e);
        }
    }

    public static Fingerprint parse(String text) {
        String hex = text.trim().replace(":", "").toLowerCase(Locale.ROOT);
        if (hex.length() != LENGTH * 2 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new IllegalArgumentException("fingerprint must be 32 bytes of hex: " + text);
        }
        return new Fingerprint(HexFormat.of().parseHex(hex));
    }

    /** Constant-time comparison: the bytes come from a peer during a handshake. */
    public boolean matches(Fingerprint other) {
        return MessageDigest.isEqual(digest, other.digest);
    }

    public String hex() {
        return HexFormat.of().formatHex(digest);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Fingerprint f && Arrays.equals(digest, f.digest);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(digest);
    }

    @Override
    public String toString() {
        return hex();
    }
}
