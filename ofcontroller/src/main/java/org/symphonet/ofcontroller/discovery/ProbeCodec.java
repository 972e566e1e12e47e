package org.symphonet.ofcontroller.discovery;

import java.util.Optional;

/**
 * The discovery probe: an Ethernet frame the controller sends out of one port of one switch (a
 * packet-out) and gets back as a packet-in from the switch at the other end of the link.
 *
 * <pre>
 *  0  dst MAC (6)   01:80:c2:00:00:0e, the LLDP nearest-bridge address: 802.1D bridges never forward it
 *  6  src MAC (6)   02:53:59:4d:50:00, locally administered
 * 12  ethertype (2) 0xC0C1 (FRBs are 0xC0C0)
 * 14  magic (4)     "SYMP"
 * 18  version (1)   1
 * 19  reserved (1)
 * 20  nonce (8)     this controller process's random number: probes of another controller are ignored
 * 28  datapath (8)  the sending switch
 * 36  port (4)      the port it left by
 * 40  padding to the 60-byte Ethernet minimum
 * </pre>
 */
public final class ProbeCodec {

    public static final int ETHERTYPE = 0xC0C1;
    public static final int VERSION = 1;
    static final int MAGIC = 0x53594d50;
    static final int LENGTH = 60;
    private static final byte[] DST = {0x01, (byte) 0x80, (byte) 0xc2, 0x00, 0x00, 0x0e};
    private static final byte[] SRC = {0x02, 0x53, 0x59, 0x4d, 0x50, 0x00};

    /** A decoded probe: it left {@code datapathId} by {@code port}, sent by the controller with {@code nonce}. */
    public record Probe(long nonce, long datapathId, int port) {
    }

    private ProbeCodec() {
    }

    public static byte[] encode(Probe p) {
        byte[] f = new byte[LENGTH];
        System.arraycopy(DST, 0, f, 0, 6);
        System.arraycopy(SRC, 0, f, 6, 6);
        f[12] = (byte) (ETHERTYPE >>> 8);
        f[13] = (byte) ETHERTYPE;
        putInt(f, 14, MAGIC);
        f[18] = VERSION;
        putLong(f, 20, p.nonce());
        putLong(f, 28, p.datapathId());
        putInt(f, 36, p.port());
        return f;
    }

    /** The probe in {@code frame}, or empty for anything else (short, other ethertype, bad magic or version). */
    public static Optional<Probe> decode(byte[] frame) {
        if (frame == null || frame.length < 40 || getShort(frame, 12) != ETHERTYPE || getInt(frame, 14) != MAGIC
                || frame[18] != VERSION) {
            return Optional.empty();
        }
        return Optional.of(new Probe(getLong(frame, 20), getLong(frame, 28), getInt(frame, 36)));
    }

    private static int getShort(byte[] b, int off) {
        return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
    }

    private static int getInt(byte[] b, int off) {
        return (getShort(b, off) << 16) | getShort(b, off + 2);
    }

    private static long getLong(byte[] b, int off) {
        return ((long) getInt(b, off) << 32) | (getInt(b, off + 4) & 0xffff_ffffL);
    }

    private static void putInt(byte[] b, int off, int v) {
        for (int i = 0; i < 4; i++) {
            b[off + i] = (byte) (v >>> (24 - 8 * i));
        }
    }

    private static void putLong(byte[] b, int off, long v) {
        putInt(b, off, (int) (v >>> 32));
        putInt(b, off + 4, (int) v);
    }
}
