package org.symphonet.tunnel.tap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Cuts what a TAP with TCP segmentation offload hands over (a virtio-net header, then a frame of
 * up to 64 KiB: a TCP superframe, or a frame whose checksum is left to "hardware") into the plain
 * frames the tunnel carries, each with its checksums complete: what a NIC does with TSO. Why:
 * one read(2) per superframe instead of one per frame, and none of the kernel's software
 * segmentation on the way to the TAP; the sending host's TCP hands over 64 KiB at a time.
 *
 * <p>A superframe is IPv4 TCP (the TAP asks for TSO4 only, {@code TUN_F_TSO4}), behind up to two
 * VLAN tags: each segment gets the headers with its own IP total length, ID (the first's plus its
 * index), IP checksum, TCP sequence number, flags (FIN and PSH on the last only, CWR on the first
 * only) and TCP checksum. A frame with NEEDS_CSUM and no segmentation gets the checksum the
 * header points at completed. Anything else (a kind of segmentation not asked for, headers that
 * do not add up) yields nothing: dropped, never passed on half-made.
 *
 * <p>Not thread-safe: the one thread that reads the TAP.
 */
public final class SegmentSplitter {
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final int NEEDS_CSUM = 1;
    private static final int GSO_NONE = 0;
    private static final int GSO_TCPV4 = 1;
    private static final int GSO_ECN = 0x80;
    private static final int ETH = 14;
    private static final int FIN = 0x01;
    private static final int PSH = 0x08;
    private static final int CWR = 0x80;

    private ByteBuffer src;
    /** Offset of the frame in {@link #src} (behind the header) and its length. */
    private int frame;
    private int frameLength;
    /** For a superframe: Ethernet header bytes (with its VLAN tags), then header bytes (Ethernet to TCP options), segment payload size, IP header length. */
    private int link;
    private int headers;
    private int mss;
    private int ipHeader;
    /** Payload offset (from {@link #frame}) of the next segment; segments made so far; the last one's index. */
    private int next;
    private int index;
    private int segments;
    /** For a frame with NEEDS_CSUM alone: where the checksum starts and where (from there) it goes; start -1: none. */
    private int csumStart;
    private int csumOffset;
    /** What is left to hand out: a superframe's segments, or one frame to complete. */
    private boolean superframe;
    private boolean single;

    /** Whether a frame read with header {@code src[at, at+10)} needs this class (else it is a plain frame). */
    public static boolean needed(ByteBuffer src, int at) {
        return (src.get(at) & NEEDS_CSUM) != 0 || src.get(at + 1) != GSO_NONE;
    }

    /**
     * Takes the header and frame {@code src[at, at+len)}; {@link #hasNext} then says whether it
     * yields frames. The buffer must stay unchanged until they are all taken.
     */
    public void start(ByteBuffer src, int at, int len) {
        this.src = src.order(ByteOrder.nativeOrder());
        superframe = false;
        single = false;
        if (len < SegmentJoiner.HEADER + ETH) {
            return;
        }
        frame = at + SegmentJoiner.HEADER;
        frameLength = len - SegmentJoiner.HEADER;
        int flags = src.get(at) & 0xFF;
        int gso = src.get(at + 1) & 0xFF;
        int gsoSize = src.getShort(at + 4) & 0xFFFF;
        int csumStart = src.getShort(at + 6) & 0xFFFF;
        int csumOffset = src.getShort(at + 8) & 0xFFFF;
        if (gso == GSO_NONE) {
            if ((flags & NEEDS_CSUM) == 0) {
                this.csumStart = -1;
                single = true;
            } else if (csumStart + csumOffset + 2 <= frameLength) {
                this.csumStart = csumStart;
                this.csumOffset = csumOffset;
                single = true;
            }
            return;
        }
        // Up to two VLAN tags (a VLAN device on the TAP segments through it too).
        link = ETH;
        while (link < ETH + 8 && link + 2 <= frameLength && isVlan(be16(frame + link - 2))) {
            link += 4;
        }
        if ((gso & ~GSO_ECN) != GSO_TCPV4 || gsoSize == 0 || frameLength < link + 20 + 20
                || be16(frame + link - 2) != 0x0800 || (src.get(frame + link) & 0xF0) != 0x40) {
            return;
        }
        ipHeader = (src.get(frame + link) & 0x0F) * 4;
        int tcp = link + ipHeader;
        if (ipHeader < 20 || src.get(frame + link + 9) != 6 || frameLength < tcp + 20) {
            return;
        }
        int tcpHeader = ((src.get(frame + tcp + 12) & 0xFF) >>> 4) * 4;
        headers = tcp + tcpHeader;
        if (tcpHeader < 20 || headers >= frameLength || headers + gsoSize > TapDevice.MAX_FRAME) {
            return;
        }
        mss = gsoSize;
        next = headers;
        index = 0;
        segments = (frameLength - headers + mss - 1) / mss;
        superframe = true;
    }

    public boolean hasNext() {
        return superframe || single;
    }

    /**
     * Writes the next frame into {@code dst[off, off+max)} and returns its length; a plain frame
     * that does not fit is cut to {@code max} (as a read of a short buffer cuts), a segment or a
     * frame whose checksum would be cut off is dropped: 0.
     */
    public int next(byte[] dst, int off, int max) {
        if (single) {
            single = false;
            int n = Math.min(frameLength, max);
            src.get(frame, dst, off, n);
            if (csumStart >= 0) {
                if (csumStart + csumOffset + 2 > n) {
                    return 0;
                }
                // The field holds the pseudo-header sum; the checksum covers everything from csum_start on.
                put16(dst, off + csumStart + csumOffset, ~fold(sum(dst, off + csumStart, off + n)));
            }
            return n;
        }
        int payload = Math.min(mss, frameLength - next);
        int n = headers + payload;
        if (n > max) {
            superframe = false;
            return 0;
        }
        src.get(frame, dst, off, headers);
        src.get(frame + next, dst, off + headers, payload);
        boolean first = index == 0;
        boolean last = index == segments - 1;
        int ip = off + link;
        int tcp = ip + ipHeader;
        put16(dst, ip + 2, n - link);
        put16(dst, ip + 4, u16(dst, ip + 4) + index);
        put16(dst, ip + 10, 0);
        put16(dst, ip + 10, ~fold(sum(dst, ip, tcp)));
        INT.set(dst, tcp + 4, (int) INT.get(dst, tcp + 4) + (next - headers));
        int flags = dst[tcp + 13] & 0xFF;
        if (!last) {
            flags &= ~(FIN | PSH);
        }
        if (!first) {
            flags &= ~CWR;
        }
        dst[tcp + 13] = (byte) flags;
        put16(dst, tcp + 16, 0);
        long pseudo = sum(dst, ip + 12, ip + 20) + 6 + (n - link - ipHeader);
        put16(dst, tcp + 16, ~fold(pseudo + sum(dst, tcp, off + n)));
        next += payload;
        index++;
        if (last) {
            superframe = false;
        }
        return n;
    }

    /** One's-complement sum of {@code b[from, to)} as big-endian 16-bit words (an odd end padded), unfolded. */
    static long sum(byte[] b, int from, int to) {
        long s = 0;
        int i = from;
        for (; i + 4 <= to; i += 4) {
            s += (int) INT.get(b, i) & 0xFFFFFFFFL;
        }
        if (i + 2 <= to) {
            // 2^16 = 1 in one's-complement arithmetic: a 16-bit word counts the same in either half.
            s += ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
            i += 2;
        }
        if (i < to) {
            s += (b[i] & 0xFF) << 8;
        }
        return s;
    }

    /** Folds a sum of 32-bit (or 16-bit) big-endian words to 16 bits. */
    static int fold(long s) {
        s = (s & 0xFFFFFFFFL) + (s >>> 32);
        s = (s & 0xFFFFFFFFL) + (s >>> 32);
        s = (s & 0xFFFF) + (s >>> 16);
        s = (s & 0xFFFF) + (s >>> 16);
        s = (s & 0xFFFF) + (s >>> 16);
        return (int) s;
    }

    private static boolean isVlan(int type) {
        return type == 0x8100 || type == 0x88A8;
    }

    private int be16(int at) {
        return ((src.get(at) & 0xFF) << 8) | (src.get(at + 1) & 0xFF);
    }

    /** Big-endian 16-bit word at {@code at}. */
    static int u16(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    private static void put16(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }
}
