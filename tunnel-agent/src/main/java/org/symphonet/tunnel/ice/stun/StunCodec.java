package org.symphonet.tunnel.ice.stun;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * STUN wire format (RFC 8489): encoding with MESSAGE-INTEGRITY (HMAC-SHA1) and
 * FINGERPRINT (CRC-32 XOR 0x5354554E), and a decoder that treats every input as
 * hostile: anything that is not a well-formed STUN message yields null, never an
 * exception.
 */
public final class StunCodec {
    static final int HEADER = 20;
    private static final int FINGERPRINT_XOR = 0x5354554E;

    private StunCodec() {
    }

    /** RFC 7983 demultiplexing: the first byte of a STUN message is 0-3. */
    public static boolean looksLikeStun(byte[] buf, int off, int len) {
        return len >= HEADER && (buf[off] & 0xFF) < 4 && readInt(buf, off + 4) == XorAddress.MAGIC;
    }

    /**
     * Encodes {@code m}; with {@code integrityKey} non-null adds MESSAGE-INTEGRITY,
     * with {@code fingerprint} a FINGERPRINT after it.
     */
    public static byte[] encode(StunMessage m, byte[] integrityKey, boolean fingerprint) {
        int size = HEADER;
        for (StunMessage.Attribute a : m.attributes()) {
            size += 4 + pad(a.value().length);
        }
        int total = size + (integrityKey != null ? 24 : 0) + (fingerprint ? 8 : 0);
        byte[] out = new byte[total];
        putShort(out, 0, m.type());
        putInt(out, 4, XorAddress.MAGIC);
        System.arraycopy(m.transactionId(), 0, out, 8, 12);
        int pos = HEADER;
        for (StunMessage.Attribute a : m.attributes()) {
            putShort(out, pos, a.type());
            putShort(out, pos + 2, a.value().length);
            System.arraycopy(a.value(), 0, out, pos + 4, a.value().length);
            pos += 4 + pad(a.value().length);
        }
        if (integrityKey != null) {
            // The length covers the message up to and including MESSAGE-INTEGRITY.
            putShort(out, 2, pos + 24 - HEADER);
            byte[] mac = hmac(integrityKey, out, 0, pos);
            putShort(out, pos, StunMessage.MESSAGE_INTEGRITY);
            putShort(out, pos + 2, 20);
            System.arraycopy(mac, 0, out, pos + 4, 20);
            pos += 24;
        }
        if (fingerprint) {
            putShort(out, 2, pos + 8 - HEADER);
            putShort(out, pos, StunMessage.FINGERPRINT);
            putShort(out, pos + 2, 4);
            putInt(out, pos + 4, crc(out, 0, pos) ^ FINGERPRINT_XOR);
            pos += 8;
        }
        putShort(out, 2, pos - HEADER);
        return out;
    }

    /**
     * Decodes one message, or returns null if the bytes are not exactly one
     * well-formed STUN message (wrong cookie, lengths, truncated attribute, a
     * FINGERPRINT that does not match).
     */
    public static StunMessage decode(byte[] buf, int off, int len) {
        if (!looksLikeStun(buf, off, len)) {
            return null;
        }
        int type = readShort(buf, off);
        int bodyLen = readShort(buf, off + 2);
        if ((bodyLen & 3) != 0 || HEADER + bodyLen != len || (type & 0xC000) != 0) {
            return null;
        }
        byte[] tid = new byte[12];
        System.arraycopy(buf, off + 8, tid, 0, 12);
        List<StunMessage.Attribute> attrs = new ArrayList<>();
        int pos = off + HEADER;
        int end = off + len;
        while (pos < end) {
            if (end - pos < 4) {
                return null;
            }
            int at = readShort(buf, pos);
            int al = readShort(buf, pos + 2);
            if (pos + 4 + al > end) {
                return null;
            }
            byte[] v = new byte[al];
            System.arraycopy(buf, pos + 4, v, 0, al);
            if (at == StunMessage.FINGERPRINT) {
                if (al != 4 || pos + 8 != end
                        || (crcWithLength(buf, off, pos - off, pos + 8 - off - HEADER) ^ FINGERPRINT_XOR)
                        != readInt(buf, pos + 4)) {
                    return null;
                }
            }
            attrs.add(new StunMessage.Attribute(at, v));
            pos += 4 + pad(al);
        }
        if (pos != end) {
            return null;
        }
        return new StunMessage(type, tid, attrs);
    }

    /**
     * True if the message in {@code buf} carries a MESSAGE-INTEGRITY that matches
     * {@code key}. Attributes after it (FINGERPRINT) are excluded as the RFC says.
     */
    public static boolean checkIntegrity(byte[] buf, int off, int len, byte[] key) {
        if (!looksLikeStun(buf, off, len)) {
            return false;
        }
        int pos = off + HEADER;
        int end = off + len;
        while (pos + 4 <= end) {
            int at = readShort(buf, pos);
            int al = readShort(buf, pos + 2);
            if (pos + 4 + al > end) {
                return false;
            }
            if (at == StunMessage.MESSAGE_INTEGRITY) {
                if (al != 20) {
                    return false;
                }
                byte[] copy = new byte[pos - off];
                System.arraycopy(buf, off, copy, 0, copy.length);
                putShort(copy, 2, pos + 24 - off - HEADER);
                byte[] mac = hmac(key, copy, 0, copy.length);
                return MessageDigest.isEqual(mac, java.util.Arrays.copyOfRange(buf, pos + 4, pos + 24));
            }
            pos += 4 + pad(al);
        }
        return false;
    }

    /** ICE short-term credential key: the password itself (RFC 8489 §9.1.1; no SASLprep for our ASCII). */
    public static byte[] shortTermKey(String password) {
        return password.getBytes(StandardCharsets.UTF_8);
    }

    /** Long-term credential key: MD5(username ":" realm ":" password) (RFC 8489 §9.2.2). */
    public static byte[] longTermKey(String username, String realm, String password) {
        try {
            return MessageDigest.getInstance("MD5").digest((username + ":" + realm + ":" + password)
                    .getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("MD5 unavailable", e);
        }
    }

    private static byte[] hmac(byte[] key, byte[] data, int off, int len) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, "HmacSHA1"));
            mac.update(data, off, len);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 unavailable", e);
        }
    }

    private static int crc(byte[] buf, int off, int len) {
        CRC32 crc = new CRC32();
        crc.update(buf, off, len);
        return (int) crc.getValue();
    }

    /** CRC over the message up to FINGERPRINT, with the header's length field as it was sent. */
    private static int crcWithLength(byte[] buf, int off, int len, int headerLength) {
        byte[] copy = java.util.Arrays.copyOfRange(buf, off, off + len);
        putShort(copy, 2, headerLength);
        return crc(copy, 0, len);
    }

    static int pad(int n) {
        return (n + 3) & ~3;
    }

    static int readShort(byte[] b, int i) {
        return ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
    }

    static int readInt(byte[] b, int i) {
        return ((b[i] & 0xFF) << 24) | ((b[i + 1] & 0xFF) << 16) | ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
    }

    static void putShort(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 8);
        b[i + 1] = (byte) v;
    }

    static void putInt(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 24);
        b[i + 1] = (byte) (v >>> 16);
        b[i + 2] = (byte) (v >>> 8);
        b[i + 3] = (byte) v;
    }
}
