package org.symphonet.tunnel.ice.stun;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A decoded STUN message (RFC 8489): type, transaction ID and attributes in wire
 * order. Integrity and fingerprint are checked by {@link StunCodec} on the raw
 * bytes; this record only carries what was read.
 */
public record StunMessage(int type, byte[] transactionId, List<Attribute> attributes) {

    public StunMessage {
        if (transactionId.length != 12) {
            throw new IllegalArgumentException("transaction ID must be 12 bytes");
        }
        attributes = List.copyOf(attributes);
    }

    /** One attribute; {@code value} without padding. */
    public record Attribute(int type, byte[] value) {
    }

    // Methods and classes (RFC 8489 §5, RFC 8656 §17).
    public static final int BINDING = 0x001;
    public static final int ALLOCATE = 0x003;
    public static final int REFRESH = 0x004;
    public static final int SEND = 0x006;
    public static final int DATA = 0x007;
    public static final int CREATE_PERMISSION = 0x008;
    public static final int CHANNEL_BIND = 0x009;
    public static final int REQUEST = 0x000;
    public static final int INDICATION = 0x010;
    public static final int SUCCESS = 0x100;
    public static final int ERROR = 0x110;

    // Attributes.
    public static final int MAPPED_ADDRESS = 0x0001;
    public static final int USERNAME = 0x0006;
    public static final int MESSAGE_INTEGRITY = 0x0008;
    public static final int ERROR_CODE = 0x0009;
    public static final int CHANNEL_NUMBER = 0x000C;
    public static final int LIFETIME = 0x000D;
    public static final int XOR_PEER_ADDRESS = 0x0012;
    public static final int DATA_ATTR = 0x0013;
    public static final int REALM = 0x0014;
    public static final int NONCE = 0x0015;
    public static final int XOR_RELAYED_ADDRESS = 0x0016;
    public static final int REQUESTED_TRANSPORT = 0x0019;
    public static final int XOR_MAPPED_ADDRESS = 0x0020;
    public static final int PRIORITY = 0x0024;
    public static final int USE_CANDIDATE = 0x0025;
    public static final int FINGERPRINT = 0x8028;
    public static final int ICE_CONTROLLED = 0x8029;
    public static final int ICE_CONTROLLING = 0x802A;

    public int method() {
        return type & 0x3EEF;
    }

    public int messageClass() {
        return type & 0x0110;
    }

    public boolean isRequest() {
        return messageClass() == REQUEST;
    }

    public boolean isSuccess() {
        return messageClass() == SUCCESS;
    }

    public boolean isError() {
        return messageClass() == ERROR;
    }

    /** First attribute of that type, or null. */
    public byte[] get(int attributeType) {
        for (Attribute a : attributes) {
            if (a.type() == attributeType) {
                return a.value();
            }
        }
        return null;
    }

    public boolean has(int attributeType) {
        return get(attributeType) != null;
    }

    /** An XOR-*-ADDRESS attribute decoded, or null if absent or malformed. */
    public InetSocketAddress xorAddress(int attributeType) {
        byte[] v = get(attributeType);
        return v == null ? null : XorAddress.decode(v, transactionId);
    }

    /** ERROR-CODE as a number (e.g. 401), or 0. */
    public int errorCode() {
        byte[] v = get(ERROR_CODE);
        if (v == null || v.length < 4) {
            return 0;
        }
        return (v[2] & 0x7) * 100 + (v[3] & 0xFF);
    }

    /** A 32-bit attribute (LIFETIME, PRIORITY), or -1. */
    public long uint32(int attributeType) {
        byte[] v = get(attributeType);
        if (v == null || v.length != 4) {
            return -1;
        }
        return ((v[0] & 0xFFL) << 24) | ((v[1] & 0xFFL) << 16) | ((v[2] & 0xFFL) << 8) | (v[3] & 0xFFL);
    }

    public boolean sameTransaction(byte[] other) {
        return Arrays.equals(transactionId, other);
    }

    /** Builds messages attribute by attribute. */
    public static final class Builder {
        private final int type;
        private final byte[] transactionId;
        private final List<Attribute> attributes = new ArrayList<>();

        public Builder(int type, byte[] transactionId) {
            this.type = type;
            this.transactionId = transactionId.clone();
        }

        public Builder add(int attributeType, byte[] value) {
            attributes.add(new Attribute(attributeType, value.clone()));
            return this;
        }

        public Builder uint32(int attributeType, long value) {
            return add(attributeType, new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8),
                    (byte) value});
        }

        public Builder xorAddress(int attributeType, InetSocketAddress address) {
            return add(attributeType, XorAddress.encode(address, transactionId));
        }

        public Builder text(int attributeType, String value) {
            return add(attributeType, value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        public StunMessage build() {
            return new StunMessage(type, transactionId, attributes);
        }
    }
}
