package org.symphonet.tunnel.datapath;

/**
 * Lowers the MSS option of TCP SYN and SYN-ACK frames entering the tunnel so that
 * the connection's full-size segments fit one record. Without it a 1500-MTU leaf
 * sends 1514-byte frames, which the tunnel must split into two records: twice the
 * encryptions, datagrams and system calls per segment. Frames themselves are never
 * shrunk: leaves keep MTU 1500, and non-TCP traffic (or TCP that ignores the MSS)
 * still crosses whole, fragmented. tinc ({@code ClampMSS}) and OpenVPN
 * ({@code mssfix}) do the same by default.
 *
 * <p>Handles Ethernet with up to two VLAN tags, IPv4 (first fragment only) and
 * IPv6 with TCP as the first next header. The TCP checksum is updated
 * incrementally (RFC 1624), so a segment that arrived with a bad checksum still
 * has a bad one. Anything that does not parse cleanly is left alone: this is an
 * optimisation, never a filter. Stateless and allocation-free; one instance may
 * serve any number of threads.
 */
public final class MssClamp {
    private static final int ETH_HEADER = 14;
    private static final int VLAN_TAG = 4;
    private static final int TCP_HEADER = 20;
    private static final int IPV6_HEADER = 40;
    private static final int PROTO_TCP = 6;
    private static final int FLAG_SYN = 0x02;
    private static final int OPT_END = 0;
    private static final int OPT_NOP = 1;
    private static final int OPT_MSS = 2;
    /** Smallest MSS we ever announce (RFC 879's IPv4 default). */
    static final int MIN_MSS = 536;

    private final int maxFrame;

    /** @param maxFrame largest Ethernet frame that crosses the tunnel in one record */
    public MssClamp(int maxFrame) {
        this.maxFrame = maxFrame;
    }

    /**
     * Clamps the frame in {@code buf[off, off+len)} in place.
     *
     * @return true if the MSS option was lowered
     */
    public boolean apply(byte[] buf, int off, int len) {
        int end = off + len;
        int l3 = off + ETH_HEADER;
        if (l3 > end) {
            return false;
        }
        int type = u16(buf, l3 - 2);
        for (int tags = 0; (type == 0x8100 || type == 0x88A8) && tags < 2; tags++) {
            l3 += VLAN_TAG;
            if (l3 > end) {
                return false;
            }
            type = u16(buf, l3 - 2);
        }
        int l4;
        int segEnd;
        int proto;
        if (type == 0x0800) {
            if (l3 + 20 > end || (buf[l3] & 0xF0) != 0x40) {
                return false;
            }
            int ihl = (buf[l3] & 0x0F) * 4;
            int total = u16(buf, l3 + 2);
            // Later fragments carry no TCP header; the first one does (offset 0).
            if (ihl < 20 || (u16(buf, l3 + 6) & 0x1FFF) != 0 || total < ihl + TCP_HEADER || l3 + total > end) {
                return false;
            }
            proto = buf[l3 + 9] & 0xFF;
            l4 = l3 + ihl;
            segEnd = l3 + total;
        } else if (type == 0x86DD) {
            if (l3 + IPV6_HEADER > end || (buf[l3] & 0xF0) != 0x60) {
                return false;
            }
            proto = buf[l3 + 6] & 0xFF;
            l4 = l3 + IPV6_HEADER;
            segEnd = l4 + u16(buf, l3 + 4);
            if (segEnd > end || segEnd < l4 + TCP_HEADER) {
                return false;
            }
        } else {
            return false;
        }
        // "Not TCP" and "not a SYN" in one test, without a branch between them (the segment holds
        // 20 bytes either way, so its 14th byte can be read whatever the protocol). Why: a bulk
        // transfer's frames are TCP without SYN and all leave here, so the JIT's code for this
        // method (inlined into the tunnel loop) keeps this exit for a ping or any other non-TCP
        // frame too. A protocol test of its own, which bulk never fails, is compiled as an
        // uncommon trap: the first ping after a transfer deoptimized the loop around it, which then
        // ran interpreted and in C1's profiling tier for seconds.
        if (((proto ^ PROTO_TCP) | (~buf[l4 + 13] & FLAG_SYN)) != 0) {
            return false;
        }
        int headerEnd = l4 + ((buf[l4 + 12] & 0xF0) >>> 4) * 4;
        if (headerEnd < l4 + TCP_HEADER || headerEnd > segEnd) {
            return false;
        }
        int limit = Math.max(MIN_MSS, maxFrame - (l4 - off) - TCP_HEADER);
        return clampOption(buf, l4, headerEnd, limit);
    }

    private static boolean clampOption(byte[] buf, int l4, int headerEnd, int limit) {
        int p = l4 + TCP_HEADER;
        while (p < headerEnd) {
            int kind = buf[p] & 0xFF;
            if (kind == OPT_END) {
                return false;
            }
            if (kind == OPT_NOP) {
                p++;
                continue;
            }
            if (p + 1 >= headerEnd) {
                return false;
            }
            int optLen = buf[p + 1] & 0xFF;
            if (optLen < 2 || p + optLen > headerEnd) {
                return false;
            }
            if (kind == OPT_MSS && optLen == 4) {
                int mss = u16(buf, p + 2);
                if (mss <= limit) {
                    return false;
                }
                buf[p + 2] = (byte) (limit >>> 8);
                buf[p + 3] = (byte) limit;
                // The checksum sums 16-bit words from the TCP header's start; a value at
                // an odd offset contributes its bytes swapped.
                boolean odd = ((p + 2 - l4) & 1) != 0;
                int check = u16(buf, l4 + 16);
                check = adjust(check, odd ? swap(mss) : mss, odd ? swap(limit) : limit);
                buf[l4 + 16] = (byte) (check >>> 8);
                buf[l4 + 17] = (byte) check;
                return true;
            }
            p += optLen;
        }
        return false;
    }

    /** RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m'). */
    static int adjust(int checksum, int oldWord, int newWord) {
        int sum = (~checksum & 0xFFFF) + (~oldWord & 0xFFFF) + newWord;
        sum = (sum & 0xFFFF) + (sum >>> 16);
        sum = (sum & 0xFFFF) + (sum >>> 16);
        return ~sum & 0xFFFF;
    }

    private static int swap(int v) {
        return ((v & 0xFF) << 8) | (v >>> 8);
    }

    private static int u16(byte[] b, int off) {
        return ((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF);
    }
}
