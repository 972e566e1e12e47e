package org.symphonet.overlay.identity;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * SHA-256 fingerprint of a DER certificate, written as in SDP (RFC 8122):
 * {@code sha-256 AB:CD:...:EF} (32 upper-case hex pairs). This text travels in link-request and
 * link-accept; the DTLS handshake must present the certificate it names.
 */
public record Fingerprint(String text) {

    public static final String PREFIX = "sha-256 ";
    private static final Pattern FORM = Pattern.compile("sha-256 [0-9A-F]{2}(:[0-9A-F]{2}){31}");

    public Fingerprint {
        if (text == null || !FORM.matcher(text).matches()) {
            throw new IllegalArgumentException("fingerprint must look like 'sha-256 AB:CD:...' with 32 upper-case"
                    + " hex pairs, got " + (text == null ? "nothing" : "'" + abbreviate(text) + "'"));
        }
    }

    public static Fingerprint of(X509Certificate cert) {
        try {
            return ofDer(cert.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("certificate cannot be encoded", e);
        }
    }

    public static Fingerprint ofDer(byte[] der) {
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256").digest(der);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK without SHA-256", e);
        }
        return new Fingerprint(PREFIX + HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest));
    }

    public static boolean isValid(String text) {
        return text != null && FORM.matcher(text).matches();
    }

    /** 64 lowercase hex digits without colons: the form {@code org.symphonet.tunnel.Fingerprint.parse} takes. */
    public String hex() {
        return text.substring(PREFIX.length()).replace(":", "").toLowerCase(java.util.Locale.ROOT);
    }

    /** Constant-time comparison, because one side of it comes from a peer. */
    public boolean matches(Fingerprint other) {
        return other != null && MessageDigest.isEqual(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                other.text.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    private static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 120) + "...";
    }

    @Override
    public String toString() {
        return text;
    }
}
