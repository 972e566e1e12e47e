package org.symphonet.tunnel.datapath;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

class MssClampTest {
    /** One record carries 1414-byte frames: the IPv4 limit is 1414 - 14 - 20 - 20. */
    private static final int MAX_FRAME = 1414;
    private final MssClamp clamp = new MssClamp(MAX_FRAME);

    @Test
    void lowersIpv4SynMssAndKeepsChecksumValid() {
        byte[] f = Frames.ipv4Tcp(0, Frames.SYN, new byte[] {2, 4, 0x05, (byte) 0xB4, 1, 1, 4, 2});
        assertTrue(clamp.apply(f, 0, f.length));
        assertEquals(1360, Frames.u16(f, Frames.ETH + 20 + 22));
        assertEquals(0, Frames.tcpChecksumResidue(f, 0, false));
    }

    @Test
    void oddAlignedOptionStillGetsAValidChecksum() {
        // NOP first: the MSS value sits at an odd offset from the TCP header's start.
        byte[] f = Frames.ipv4Tcp(0, Frames.SYN | Frames.ACK, new byte[] {1, 2, 4, 0x23, 0x28, 1, 1, 0});
        assertTrue(clamp.apply(f, 0, f.length));
        assertEquals(1360, Frames.u16(f, Frames.ETH + 20 + 23));
        assertEquals(0, Frames.tcpChecksumResidue(f, 0, false));
    }

    @Test
    void respectsVlanTagsAndIpv4Options() {
        byte[] f = Frames.ipv4Tcp(1, Frames.SYN, new byte[] {2, 4, 0x05, (byte) 0xB4});
        assertTrue(clamp.apply(f, 0, f.length));
        // One tag (4 bytes) and 4 bytes of IP options come off the limit.
        assertEquals(1360 - 4 - 4, Frames.u16(f, Frames.ETH + 4 + 24 + 22));
        assertEquals(0, Frames.tcpChecksumResidue(f, 1, false));
    }

    @Test
    void lowersIpv6SynMss() {
        byte[] f = Frames.ipv6Tcp(Frames.SYN, new byte[] {2, 4, 0x05, (byte) 0xA0});
        assertTrue(clamp.apply(f, 0, f.length));
        assertEquals(MAX_FRAME - 14 - 40 - 20, Frames.u16(f, Frames.ETH + 40 + 22));
        assertEquals(0, Frames.tcpChecksumResidue(f, 0, true));
    }

    @Test
    void worksAtAnOffsetInsideALargerBuffer() {
        byte[] f = Frames.ipv4Tcp(0, Frames.SYN, new byte[] {2, 4, 0x05, (byte) 0xB4});
        byte[] big = new byte[f.length + 3];
        System.arraycopy(f, 0, big, 1, f.length);
        assertTrue(clamp.apply(big, 1, f.length));
        assertEquals(0, Frames.tcpChecksumResidue(Arrays.copyOfRange(big, 1, 1 + f.length), 0, false));
        assertEquals(0, big[0]);
        assertEquals(0, big[big.length - 2]);
    }

    @Test
    void leavesSmallMssNonSynAndOtherTrafficAlone() {
        byte[] small = Frames.ipv4Tcp(0, Frames.SYN, new byte[] {2, 4, 0x04, 0x00});
        byte[] ack = Frames.ipv4Tcp(0, Frames.ACK, new byte[] {2, 4, 0x05, (byte) 0xB4});
        byte[] udp = Frames.ipv4Tcp(0, Frames.SYN, new byte[] {2, 4, 0x05, (byte) 0xB4});
        udp[Frames.ETH + 9] = 17;
        byte[] arp = new byte[60];
        arp[12] = 0x08;
        arp[13] = 0x06;
        for (byte[] f : new byte[][] {small, ack, udp, arp}) {
            byte[] before = f.clone();
            assertFalse(clamp.apply(f, 0, f.length));
            assertArrayEquals(before, f);
        }
    }

    @Test
    void leavesNonTcpAloneWhateverItsSegmentHoldsWhereTcpFlagsWouldBe() {
        // The protocol and SYN tests are one (see apply): a non-TCP segment whose 14th byte has
        // the SYN bit and an MSS-like option after it must still pass untouched, IPv4 and IPv6.
        byte[] icmp = Frames.ipv4Tcp(0, Frames.SYN, new byte[] {2, 4, 0x05, (byte) 0xB4});
        icmp[Frames.ETH + 9] = 1;
        byte[] udp6 = Frames.ipv6Tcp(Frames.SYN | Frames.ACK, new byte[] {2, 4, 0x05, (byte) 0xA0});
        udp6[Frames.ETH + 6] = 17;
        for (byte[] f : new byte[][] {icmp, udp6}) {
            byte[] before = f.clone();
            assertFalse(clamp.apply(f, 0, f.length));
            assertArrayEquals(before, f);
        }
    }

    @Test
    void leavesLaterIpv4FragmentsAlone() {
        byte[] f = Frames.ipv4Tcp(0, Frames.SYN, new byte[] {2, 4, 0x05, (byte) 0xB4});
        f[Frames.ETH + 7] = 0x10;
        assertFalse(clamp.apply(f, 0, f.length));
    }

    @Test
    void neverThrowsOrWritesOutsideTheFrameOnTruncatedOrRandomInput() {
        byte[] good = Frames.ipv4Tcp(0, Frames.SYN, new byte[] {1, 1, 1, 2, 4, 0x05, (byte) 0xB4, 0});
        for (int len = 0; len < good.length; len++) {
            byte[] buf = Arrays.copyOf(good, good.length);
            byte[] tail = Arrays.copyOfRange(buf, len, buf.length);
            clamp.apply(buf, 0, len);
            assertArrayEquals(tail, Arrays.copyOfRange(buf, len, buf.length), "wrote past " + len);
        }
        Random random = new Random(7);
        byte[] buf = new byte[200];
        for (int i = 0; i < 20_000; i++) {
            random.nextBytes(buf);
            // Steer a good share of the noise into the IPv4/TCP/SYN branches.
            if (i % 2 == 0) {
                buf[12] = 0x08;
                buf[13] = 0x00;
                buf[14] = (byte) (0x40 | (buf[14] & 0x0F));
                buf[23] = 6;
                buf[20] = 0;
                buf[21] = 0;
                buf[47] |= Frames.SYN;
            }
            int len = random.nextInt(buf.length + 1);
            byte[] tail = Arrays.copyOfRange(buf, len, buf.length);
            clamp.apply(buf, 0, len);
            assertArrayEquals(tail, Arrays.copyOfRange(buf, len, buf.length));
        }
    }

    @Test
    void checksumAdjustMatchesRfc1624Example() {
        // RFC 1624 section 4: HC = 0xDD2F, m = 0x5555 -> m' = 0x3285 gives HC' = 0x0000.
        assertEquals(0x0000, MssClamp.adjust(0xDD2F, 0x5555, 0x3285));
    }

    /** Builds test frames with correct checksums and checks them. */
    static final class Frames {
        static final int ETH = 14;
        static final int SYN = 0x02;
        static final int ACK = 0x10;

        static byte[] ipv4Tcp(int vlanTags, int flags, byte[] options) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ethernet(out, vlanTags, 0x0800);
            int ipOptions = vlanTags > 0 ? 4 : 0;
            int ihl = 20 + ipOptions;
            int total = ihl + 20 + options.length;
            byte[] ip = new byte[ihl];
            ip[0] = (byte) (0x40 | (ihl / 4));
            ip[2] = (byte) (total >>> 8);
            ip[3] = (byte) total;
            ip[6] = 0x40;
            ip[8] = 64;
            ip[9] = 6;
            ip[12] = 10;
            ip[15] = 1;
            ip[16] = 10;
            ip[19] = 2;
            if (ipOptions > 0) {
                ip[20] = 1;
                ip[21] = 1;
                ip[22] = 1;
                ip[23] = 0;
            }
            out.writeBytes(ip);
            out.writeBytes(tcp(flags, options));
            byte[] f = out.toByteArray();
            int l3 = ETH + 4 * vlanTags;
            setTcpChecksum(f, l3, l3 + ihl, f.length, false);
            return f;
        }

        static byte[] ipv6Tcp(int flags, byte[] options) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ethernet(out, 0, 0x86DD);
            byte[] ip = new byte[40];
            int payload = 20 + options.length;
            ip[0] = 0x60;
            ip[4] = (byte) (payload >>> 8);
            ip[5] = (byte) payload;
            ip[6] = 6;
            ip[7] = 64;
            ip[8] = (byte) 0xFD;
            ip[23] = 1;
            ip[24] = (byte) 0xFD;
            ip[39] = 2;
            out.writeBytes(ip);
            out.writeBytes(tcp(flags, options));
            byte[] f = out.toByteArray();
            setTcpChecksum(f, ETH, ETH + 40, f.length, true);
            return f;
        }

        private static void ethernet(ByteArrayOutputStream out, int vlanTags, int type) {
            out.writeBytes(new byte[] {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1});
            for (int i = 0; i < vlanTags; i++) {
                out.writeBytes(new byte[] {(byte) 0x81, 0, 0, 5});
            }
            out.write(type >>> 8);
            out.write(type & 0xFF);
        }

        private static byte[] tcp(int flags, byte[] options) {
            byte[] t = new byte[20 + options.length];
            t[0] = (byte) 0xC3;
            t[1] = 0x50;
            t[2] = 0x14;
            t[3] = 0x51;
            t[7] = 42;
            t[12] = (byte) (((20 + options.length) / 4) << 4);
            t[13] = (byte) flags;
            t[14] = (byte) 0xFA;
            System.arraycopy(options, 0, t, 20, options.length);
            return t;
        }

        private static void setTcpChecksum(byte[] f, int l3, int l4, int end, boolean v6) {
            f[l4 + 16] = 0;
            f[l4 + 17] = 0;
            int sum = sum(f, l3, l4, end, v6);
            int c = ~sum & 0xFFFF;
            f[l4 + 16] = (byte) (c >>> 8);
            f[l4 + 17] = (byte) c;
        }

        /** The one's-complement sum over pseudo-header and segment; 0 (as ~0xFFFF) means valid. */
        static int tcpChecksumResidue(byte[] f, int vlanTags, boolean v6) {
            int l3 = ETH + 4 * vlanTags;
            int l4 = v6 ? l3 + 40 : l3 + (f[l3] & 0x0F) * 4;
            return ~sum(f, l3, l4, f.length, v6) & 0xFFFF;
        }

        private static int sum(byte[] f, int l3, int l4, int end, boolean v6) {
            long s = 0;
            int len = end - l4;
            if (v6) {
                for (int i = l3 + 8; i < l3 + 40; i += 2) {
                    s += u16(f, i);
                }
            } else {
                for (int i = l3 + 12; i < l3 + 20; i += 2) {
                    s += u16(f, i);
                }
            }
            s += 6 + len;
            for (int i = l4; i < end; i += 2) {
                s += i + 1 < end ? u16(f, i) : (f[i] & 0xFF) << 8;
            }
            while (s >>> 16 != 0) {
                s = (s & 0xFFFF) + (s >>> 16);
            }
            return (int) s;
        }

        static int u16(byte[] b, int off) {
            return ((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF);
        }
    }
}
