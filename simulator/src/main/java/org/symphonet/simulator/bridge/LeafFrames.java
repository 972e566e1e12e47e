package org.symphonet.simulator.bridge;

import org.symphonet.ofcontroller.flood.FrbCodec;

/**
 * The frames simulated leaves send: an ARP-sized broadcast whose source MAC names the leaf's
 * bridge and whose body carries the broadcast's number, so the observer can tell every FRB and
 * delivery of one broadcast apart from another's without asking the flood engine.
 */
public final class LeafFrames {

    private static final int ID_OFFSET = 14;
    private static final int LENGTH = 60;

    private LeafFrames() {
    }

    /** The leaf MAC behind node {@code index}: locally administered unicast, 02:00:xx:xx:xx:xx. */
    public static long leafMac(int index) {
        return 0x0200_0000_0000L | (index & 0xffff_ffffL);
    }

    public static byte[] broadcast(int fromNode, long broadcast) {
        byte[] f = new byte[LENGTH];
        for (int i = 0; i < 6; i++) {
            f[i] = (byte) 0xff;
        }
        long mac = leafMac(fromNode);
        for (int i = 0; i < 6; i++) {
            f[6 + i] = (byte) (mac >>> (40 - 8 * i));
        }
        f[12] = 0x08;
        f[13] = 0x06;
        writeLong(f, ID_OFFSET, broadcast);
        return f;
    }

    /** The broadcast number inside a leaf frame. */
    public static long broadcastOf(byte[] frame) {
        return readLong(frame, ID_OFFSET);
    }

    /** The broadcast number inside an encoded FRB carrying a leaf frame; -1 for anything else. */
    public static long broadcastOfFrb(byte[] frb) {
        int off = FrbCodec.OVERHEAD + ID_OFFSET;
        return frb.length >= off + 8 ? readLong(frb, off) : -1;
    }

    private static void writeLong(byte[] b, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }

    private static long readLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xffL);
        }
        return v;
    }
}
