package org.symphonet.ofcontroller.flood;

import org.symphonet.ofcontroller.view.NodeId;

/**
 * The FRB wire format. An FRB is an Ethernet frame of ethertype 0xC0C0:
 *
 * <pre>
 *  0  dst MAC (6)  broadcast: the peer link is point to point, the address only has to pass
 *  6  src MAC (6)  locally administered, derived from the root's node ID
 * 12  ethertype (2) 0xC0C0
 * 14  version (1) = 1
 * 15  type (1)    1 flood, 2 leaf announcement
 * 16  hops (2)
 * 18  seq (4)     per-root sequence number
 * 22  root node ID (16)
 * 38  bound end node ID (16)
 * 54  payload length (2)  explicit, because short frames arrive padded
 * 56  payload
 *     leaf announcements only, optional: leaf addresses
 *     count (2), then count entries of MAC (6) + IPv4 address (4)
 * </pre>
 *
 * The leaf addresses follow the declared payload, so a decoder that knows nothing of them (an
 * older bridge) reads the announcement as before and ignores them like padding; a count of 0, as
 * in padding, means none.
 *
 * Decoding never throws on hostile input: it returns a {@link Result} that names what was wrong,
 * so the caller can count and drop.
 */
public final class FrbCodec {

    public static final int ETHERTYPE = 0xC0C0;
    public static final int VERSION = 1;
    public static final int ETH_HEADER = 14;
    public static final int FRB_HEADER = 42;
    /** Bytes an FRB adds around the frame it carries; peer links need this much MTU headroom. */
    public static final int OVERHEAD = ETH_HEADER + FRB_HEADER;
    public static final int MAX_HOPS = 0xffff;
    /** The smallest frame an FRB may carry: an Ethernet header. */
    public static final int MIN_FLOOD_PAYLOAD = 14;
    /** One leaf address after an announcement's MACs: the leaf's MAC (6 bytes), then its IPv4 address (4). */
    public static final int ADDRESS_ENTRY = 10;
    /** Bytes of the leaf-address count. */
    static final int ADDRESS_COUNT = 2;

    private FrbCodec() {
    }

    /** Why a frame was not accepted as an FRB. */
    public enum Problem {
        TOO_SHORT, NOT_FRB, BAD_VERSION, BAD_TYPE, BAD_LENGTH, BAD_PAYLOAD
    }

    /** Either a decoded FRB or the problem that stopped decoding. */
    public record Result(Frb frb, Problem problem) {
        public boolean ok() {
            return frb != null;
        }
    }

    public static byte[] encode(Frb frb) {
        byte[] p = frb.payload();
        byte[] a = frb.addresses();
        byte[] out = new byte[OVERHEAD + p.length + (a.length > 0 ? ADDRESS_COUNT + a.length : 0)];
        for (int i = 0; i < 6; i++) {
            out[i] = (byte) 0xff;
        }
        // Locally administered unicast source, so OVS and hosts never treat it as a leaf MAC.
        out[6] = 0x02;
        out[7] = 0x5f;
        out[8] = (byte) (frb.root().hi() >>> 56);
        out[9] = (byte) (frb.root().hi() >>> 48);
        out[10] = (byte) (frb.root().hi() >>> 40);
        out[11] = (byte) (frb.root().hi() >>> 32);
        out[12] = (byte) (ETHERTYPE >>> 8);
        out[13] = (byte) ETHERTYPE;
        out[14] = VERSION;
        out[15] = (byte) frb.type().code();
        out[16] = (byte) (frb.hops() >>> 8);
        out[17] = (byte) frb.hops();
        long seq = frb.seq();
        out[18] = (byte) (seq >>> 24);
        out[19] = (byte) (seq >>> 16);
        out[20] = (byte) (seq >>> 8);
        out[21] = (byte) seq;
        frb.root().writeTo(out, 22);
        frb.boundEnd().writeTo(out, 38);
        out[54] = (byte) (p.length >>> 8);
        out[55] = (byte) p.length;
        System.arraycopy(p, 0, out, OVERHEAD, p.length);
        if (a.length > 0) {
            int at = OVERHEAD + p.length;
            int count = a.length / ADDRESS_ENTRY;
            out[at] = (byte) (count >>> 8);
            out[at + 1] = (byte) count;
            System.arraycopy(a, 0, out, at + ADDRESS_COUNT, a.length);
        }
        return out;
    }

    public static Result decode(byte[] frame) {
        if (frame == null || frame.length < ETH_HEADER) {
            return new Result(null, Problem.TOO_SHORT);
        }
        if (u16(frame, 12) != ETHERTYPE) {
            return new Result(null, Problem.NOT_FRB);
        }
        if (frame.length < OVERHEAD) {
            return new Result(null, Problem.TOO_SHORT);
        }
        if ((frame[14] & 0xff) != VERSION) {
            return new Result(null, Problem.BAD_VERSION);
        }
        FrbType type = FrbType.ofCode(frame[15] & 0xff);
        if (type == null) {
            return new Result(null, Problem.BAD_TYPE);
        }
        int length = u16(frame, 54);
        if (length > frame.length - OVERHEAD) {
            return new Result(null, Problem.BAD_LENGTH);
        }
        boolean payloadOk = switch (type) {
            case FLOOD -> length >= MIN_FLOOD_PAYLOAD;
            case LEAF_ANNOUNCEMENT -> length % 6 == 0;
        };
        if (!payloadOk) {
            return new Result(null, Problem.BAD_PAYLOAD);
        }
        int hops = u16(frame, 16);
        long seq = ((long) u16(frame, 18) << 16) | u16(frame, 20);
        byte[] payload = new byte[length];
        System.arraycopy(frame, OVERHEAD, payload, 0, length);
        byte[] addresses = new byte[0];
        int after = OVERHEAD + length;
        if (type == FrbType.LEAF_ANNOUNCEMENT && frame.length - after >= ADDRESS_COUNT) {
            int count = u16(frame, after);
            if (count * ADDRESS_ENTRY > frame.length - after - ADDRESS_COUNT) {
                return new Result(null, Problem.BAD_PAYLOAD);
            }
            addresses = new byte[count * ADDRESS_ENTRY];
            System.arraycopy(frame, after + ADDRESS_COUNT, addresses, 0, addresses.length);
        }
        return new Result(new Frb(type, hops, seq, NodeId.fromBytes(frame, 22), NodeId.fromBytes(frame, 38), payload,
                addresses), null);
    }

    private static int u16(byte[] b, int off) {
        return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
    }
}
