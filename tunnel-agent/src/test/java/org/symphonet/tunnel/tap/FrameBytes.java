package org.symphonet.tunnel.tap;

/**
 * Byte and checksum arithmetic for the offload tests' hand-built frames (Ethernet II, IPv4 without
 * options, then TCP or UDP): written the textbook way, independently of the code under test.
 */
final class FrameBytes {
    static final int ETH = 14;

    private FrameBytes() {
    }

    /** The one's-complement sum of {@code f[from, to)} as 16-bit words, not yet folded. */
    static long raw(byte[] f, int from, int to) {
        long s = 0;
        for (int i = from; i < to; i += 2) {
            s += ((f[i] & 0xFF) << 8) | (i + 1 < to ? f[i + 1] & 0xFF : 0);
        }
        return s;
    }

    static int fold(long s) {
        while ((s >>> 16) != 0) {
            s = (s & 0xFFFF) + (s >>> 16);
        }
        return (int) s;
    }

    /** The TCP checksum's residue over pseudo-header and segment: 0xFFFF when it is valid. */
    static int tcpResidue(byte[] f) {
        long pseudo = raw(f, ETH + 12, ETH + 20) + 6 + (f.length - ETH - 20);
        return fold(pseudo + raw(f, ETH + 20, f.length));
    }

    static int u16(byte[] f, int at) {
        return ((f[at] & 0xFF) << 8) | (f[at + 1] & 0xFF);
    }

    static int i32(byte[] f, int at) {
        return (u16(f, at) << 16) | u16(f, at + 2);
    }

    static void put16(byte[] f, int at, int v) {
        f[at] = (byte) (v >>> 8);
        f[at + 1] = (byte) v;
    }

    static void put32(byte[] f, int at, int v) {
        put16(f, at, v >>> 16);
        put16(f, at + 2, v);
    }
}
