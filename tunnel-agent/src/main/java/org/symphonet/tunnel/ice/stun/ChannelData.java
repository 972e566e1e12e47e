package org.symphonet.tunnel.ice.stun;

/**
 * TURN ChannelData framing (RFC 8656 §12.4): a 4-byte header (channel number
 * 0x4000-0x4FFF, payload length) before the application data. Over UDP no padding
 * is needed (and coturn sends none), but a padded message is accepted.
 */
public final class ChannelData {
    public static final int HEADER = 4;
    public static final int FIRST_CHANNEL = 0x4000;
    public static final int LAST_CHANNEL = 0x4FFF;

    private ChannelData() {
    }

    /** RFC 7983: first byte 64-79. */
    public static boolean looksLikeChannelData(byte[] buf, int off, int len) {
        return len >= HEADER && (buf[off] & 0xF0) == 0x40;
    }

    public static void writeHeader(byte[] buf, int off, int channel, int payloadLength) {
        StunCodec.putShort(buf, off, channel);
        StunCodec.putShort(buf, off + 2, payloadLength);
    }

    public static int channel(byte[] buf, int off) {
        return StunCodec.readShort(buf, off);
    }

    /**
     * The payload length of the ChannelData message in {@code buf[off, off+len)}, or -1
     * if it is not one (wrong channel range, length field beyond the datagram, or
     * more than the padding after it).
     */
    public static int payloadLength(byte[] buf, int off, int len) {
        if (!looksLikeChannelData(buf, off, len)) {
            return -1;
        }
        int channel = channel(buf, off);
        int n = StunCodec.readShort(buf, off + 2);
        if (channel < FIRST_CHANNEL || channel > LAST_CHANNEL || HEADER + n > len || len - HEADER - n > 3) {
            return -1;
        }
        return n;
    }
}
