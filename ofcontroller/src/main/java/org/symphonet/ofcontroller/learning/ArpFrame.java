package org.symphonet.ofcontroller.learning;

import java.util.Optional;

/**
 * An Ethernet II frame carrying an IPv4-over-Ethernet ARP packet: the fields the bridge reads to
 * learn where an IP address sits and to answer a request for a remote leaf itself (see
 * {@link ArpBindings}). IPv4 addresses are held as unsigned 32-bit values in an int.
 */
public record ArpFrame(int op, long senderMac, int senderIp, long targetMac, int targetIp) {

    public static final int ETHERTYPE = 0x0806;
    public static final int REQUEST = 1;
    public static final int REPLY = 2;
    /** Ethernet header plus the 28-byte ARP packet. */
    private static final int LENGTH = 42;
    /** Replies are padded to the Ethernet minimum, as a NIC would send them. */
    private static final int MIN_FRAME = 60;

    /** The ARP packet in {@code frame}, or empty when it is not an IPv4-over-Ethernet ARP request or reply. */
    public static Optional<ArpFrame> parse(byte[] frame) {
        if (frame.length < LENGTH || u16(frame, 12) != ETHERTYPE || u16(frame, 14) != 1 || u16(frame, 16) != 0x0800
                || frame[18] != 6 || frame[19] != 4) {
            return Optional.empty();
        }
        int op = u16(frame, 20);
        if (op != REQUEST && op != REPLY) {
            return Optional.empty();
        }
        return Optional.of(new ArpFrame(op, MacTable.macAt(frame, 22), u32(frame, 28), MacTable.macAt(frame, 32),
                u32(frame, 38)));
    }

    /**
     * True for a request a bridge may answer on the target's behalf: a plain "who has", not an
     * address probe (sender 0.0.0.0, duplicate address detection must reach the real owner) and
     * not a gratuitous announcement (sender asks for its own address).
     */
    public boolean answerableRequest() {
        return op == REQUEST && senderIp != 0 && senderIp != targetIp && !MacTable.isGroup(senderMac) && senderMac != 0;
    }

    /** The reply the owner of the requested address, at {@code ownerMac}, would send to this request. */
    public byte[] replyFrom(long ownerMac) {
        byte[] f = new byte[MIN_FRAME];
        putMac(f, 0, senderMac);
        putMac(f, 6, ownerMac);
        f[12] = 0x08;
        f[13] = 0x06;
        f[15] = 1; // hardware type Ethernet
        f[16] = 0x08; // protocol IPv4
        f[18] = 6;
        f[19] = 4;
        f[21] = REPLY;
        putMac(f, 22, ownerMac);
        putIp(f, 28, targetIp);
        putMac(f, 32, senderMac);
        putIp(f, 38, senderIp);
        return f;
    }

    private static int u16(byte[] f, int off) {
        return ((f[off] & 0xff) << 8) | (f[off + 1] & 0xff);
    }

    private static int u32(byte[] f, int off) {
        return (u16(f, off) << 16) | u16(f, off + 2);
    }

    private static void putMac(byte[] f, int off, long mac) {
        for (int i = 0; i < 6; i++) {
            f[off + i] = (byte) (mac >>> (40 - 8 * i));
        }
    }

    private static void putIp(byte[] f, int off, int ip) {
        for (int i = 0; i < 4; i++) {
            f[off + i] = (byte) (ip >>> (24 - 8 * i));
        }
    }
}
