package org.symphonet.tunnel.tap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.symphonet.tunnel.tap.FrameBytes.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

class SegmentJoinerTest {
    private static final int ACK = 0x10;
    private static final int PSH = 0x08;
    private static final byte[] TIMESTAMPS = {1, 1, 8, 10, 0, 0, 0, 7, 0, 0, 0, 9};

    private final SegmentJoiner joiner = new SegmentJoiner(ByteBuffer.allocateDirect(SegmentJoiner.HEADER + 14 + 65_535));

    @Test
    void joinsARunIntoOneGsoSuperframe() {
        byte[][] segs = {segment(1000, 1448, 100, ACK), segment(2448, 1448, 101, ACK), segment(3896, 500, 102, ACK | PSH)};
        for (byte[] s : segs) {
            assertTrue(joiner.offer(s, 0, s.length));
        }
        assertEquals(3, joiner.segments());
        byte[] out = taken();
        ByteBuffer hdr = ByteBuffer.wrap(out, 0, SegmentJoiner.HEADER).order(ByteOrder.nativeOrder());
        assertEquals(1, hdr.get(0), "NEEDS_CSUM");
        assertEquals(1, hdr.get(1), "GSO_TCPV4");
        assertEquals(ETH + 20 + 32, hdr.getShort(2), "hdr_len");
        assertEquals(1448, hdr.getShort(4), "gso_size");
        assertEquals(ETH + 20, hdr.getShort(6), "csum_start");
        assertEquals(16, hdr.getShort(8), "csum_offset");
        byte[] f = Arrays.copyOfRange(out, SegmentJoiner.HEADER, out.length);
        int payload = 1448 + 1448 + 500;
        assertEquals(ETH + 20 + 32 + payload, f.length);
        assertEquals(20 + 32 + payload, u16(f, ETH + 2), "IP total length");
        assertEquals(0xFFFF, sum(f, ETH, ETH + 20), "IP header checksum valid");
        assertEquals(100, u16(f, ETH + 4), "the first segment's IP ID");
        assertEquals(1000, i32(f, ETH + 24), "the first segment's sequence number");
        assertEquals(ACK | PSH, f[ETH + 33] & 0xFF, "PSH of the last segment");
        assertEquals(pseudoHeaderSum(f, 32 + payload), u16(f, ETH + 36), "TCP checksum field holds the pseudo-header sum");
        // Completing the checksum from csum_start on, as the kernel does, gives a valid segment.
        put16(f, ETH + 36, ~fold(raw(f, ETH + 20, f.length)) & 0xFFFF);
        assertEquals(0xFFFF, tcpResidue(f));
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (byte[] s : segs) {
            data.write(s, ETH + 52, s.length - ETH - 52);
        }
        assertArrayEquals(data.toByteArray(), Arrays.copyOfRange(f, ETH + 52, f.length));
        assertEquals(0, joiner.segments());
        assertEquals(0, joiner.take());
    }

    @Test
    void aLoneSegmentGoesAsItCameBehindAZeroHeader() {
        byte[] s = segment(1, 1448, 5, ACK);
        assertTrue(joiner.offer(s, 0, s.length));
        assertLoneSegment(s, taken());
    }

    @Test
    void aHeaderLeftByASuperframeIsClearedForALoneSegment() {
        byte[] a = segment(1, 1448, 5, ACK);
        byte[] b = segment(1449, 1448, 6, ACK);
        joiner.offer(a, 0, a.length);
        joiner.offer(b, 0, b.length);
        taken();
        joiner.offer(a, 0, a.length);
        assertLoneSegment(a, taken());
    }

    /** A segment written alone: a zeroed virtio-net header, then the segment as it came. */
    private static void assertLoneSegment(byte[] segment, byte[] out) {
        assertArrayEquals(new byte[SegmentJoiner.HEADER], Arrays.copyOf(out, SegmentJoiner.HEADER));
        assertArrayEquals(segment, Arrays.copyOfRange(out, SegmentJoiner.HEADER, out.length));
    }

    @Test
    void refusesWhatDoesNotContinueTheFlow() {
        byte[] first = segment(1000, 1448, 100, ACK);
        assertTrue(joiner.offer(first, 0, first.length));
        byte[] gap = segment(1000 + 1448 + 1, 1448, 101, ACK);
        assertFalse(joiner.offer(gap, 0, gap.length), "sequence gap");
        byte[] otherPort = segment(2448, 1448, 101, ACK);
        otherPort[ETH + 20 + 1] ^= 1;
        assertFalse(joiner.offer(otherPort, 0, otherPort.length), "another flow");
        byte[] otherAck = segment(2448, 1448, 101, ACK);
        otherAck[ETH + 20 + 11] ^= 1;
        assertFalse(joiner.offer(otherAck, 0, otherAck.length), "another acknowledgement");
        byte[] otherWindow = segment(2448, 1448, 101, ACK);
        otherWindow[ETH + 20 + 15] ^= 1;
        assertFalse(joiner.offer(otherWindow, 0, otherWindow.length), "another window");
        byte[] otherOptions = segment(2448, 1448, 101, ACK);
        otherOptions[ETH + 20 + 20 + 7] ^= 1;
        assertFalse(joiner.offer(otherOptions, 0, otherOptions.length), "another timestamp");
        byte[] otherTos = segment(2448, 1448, 101, ACK);
        otherTos[ETH + 1] = 2;
        assertFalse(joiner.offer(otherTos, 0, otherTos.length), "another TOS/ECN");
        byte[] idJump = segment(2448, 1448, 150, ACK);
        assertFalse(joiner.offer(idJump, 0, idJump.length), "IP ID neither the next nor the same");
        byte[] larger = segment(2448, 1449, 101, ACK);
        assertFalse(joiner.offer(larger, 0, larger.length), "more payload than the GSO size");
        byte[] next = segment(2448, 1448, 101, ACK);
        assertTrue(joiner.offer(next, 0, next.length));
        assertEquals(2, joiner.segments());
    }

    @Test
    void aShortSegmentOrPshEndsTheRun() {
        byte[] a = segment(0, 1448, 1, ACK);
        byte[] shortOne = segment(1448, 100, 2, ACK);
        byte[] after = segment(1548, 100, 3, ACK);
        assertTrue(joiner.offer(a, 0, a.length));
        assertTrue(joiner.offer(shortOne, 0, shortOne.length));
        assertFalse(joiner.offer(after, 0, after.length));
        taken();
        byte[] pushed = segment(0, 1448, 1, ACK | PSH);
        byte[] b = segment(1448, 1448, 2, ACK);
        assertTrue(joiner.offer(pushed, 0, pushed.length));
        assertFalse(joiner.offer(b, 0, b.length));
    }

    @Test
    void onlyPlainDataSegmentsJoinAtAll() {
        assertFalse(offerAlone(segment(0, 0, 1, ACK)), "no payload (a pure ACK)");
        assertFalse(offerAlone(segment(0, 100, 1, ACK | 0x02)), "SYN");
        assertFalse(offerAlone(segment(0, 100, 1, ACK | 0x01)), "FIN");
        assertFalse(offerAlone(segment(0, 100, 1, ACK | 0x20)), "URG");
        assertFalse(offerAlone(segment(0, 100, 1, 0x04)), "RST");
        byte[] fragment = segment(0, 100, 1, ACK);
        fragment[ETH + 6] = 0x20;
        assertFalse(offerAlone(fragment), "more fragments");
        byte[] udp = segment(0, 100, 1, ACK);
        udp[ETH + 9] = 17;
        assertFalse(offerAlone(udp), "UDP");
        byte[] options = segment(0, 100, 1, ACK);
        options[ETH] = 0x46;
        assertFalse(offerAlone(options), "IP options");
        byte[] vlan = segment(0, 100, 1, ACK);
        vlan[12] = (byte) 0x81;
        assertFalse(offerAlone(vlan), "VLAN tag");
        byte[] padded = Arrays.copyOf(segment(0, 2, 1, ACK), ETH + 20 + 32 + 2 + 4);
        assertFalse(offerAlone(padded), "Ethernet padding");
        byte[] truncated = segment(0, 100, 1, ACK);
        assertFalse(joiner.offer(truncated, 0, ETH + 30), "cut short");
        assertTrue(offerAlone(segment(0, 1, 1, ACK | PSH)));
    }

    @Test
    void stopsAtTheLargestIpPacket() {
        int joined = 0;
        int seq = 0;
        while (true) {
            byte[] s = segment(seq, 1448, joined, ACK);
            if (!joiner.offer(s, 0, s.length)) {
                break;
            }
            seq += 1448;
            joined++;
        }
        assertEquals((65_535 - 20 - 32) / 1448, joined);
        byte[] f = Arrays.copyOfRange(taken(), SegmentJoiner.HEADER, SegmentJoiner.HEADER + ETH + 52 + joined * 1448);
        assertEquals(52 + joined * 1448, u16(f, ETH + 2));
    }

    @Test
    void joinsFromAnOffsetAndWithAFixedIdUnderDf() {
        byte[] a = segment(7, 1000, 9, ACK);
        byte[] b = segment(1007, 1000, 9, ACK);
        byte[] big = new byte[b.length + 5];
        System.arraycopy(b, 0, big, 5, b.length);
        assertTrue(joiner.offer(a, 0, a.length));
        assertTrue(joiner.offer(big, 5, b.length));
        assertEquals(2, joiner.segments());
    }

    private boolean offerAlone(byte[] s) {
        boolean taken = joiner.offer(s, 0, s.length);
        joiner.take();
        return taken;
    }

    private byte[] taken() {
        int n = joiner.take();
        byte[] out = new byte[n];
        joiner.buffer().get(0, out, 0, n);
        return out;
    }

    /** An Ethernet + IPv4 (DF) + TCP (timestamps option) segment with valid checksums. */
    private static byte[] segment(int seq, int payload, int id, int flags) {
        int tcp = 20 + TIMESTAMPS.length;
        byte[] f = new byte[ETH + 20 + tcp + payload];
        for (int i = 0; i < 6; i++) {
            f[i] = (byte) (0x02 + i);
            f[6 + i] = (byte) (0x12 + i);
        }
        f[12] = 0x08;
        int ip = ETH;
        f[ip] = 0x45;
        put16(f, ip + 2, 20 + tcp + payload);
        put16(f, ip + 4, id);
        f[ip + 6] = 0x40;
        f[ip + 8] = 64;
        f[ip + 9] = 6;
        byte[] src = {10, (byte) 201, 52, 1};
        byte[] dst = {10, (byte) 201, 52, 2};
        System.arraycopy(src, 0, f, ip + 12, 4);
        System.arraycopy(dst, 0, f, ip + 16, 4);
        put16(f, ip + 10, ~sum(f, ip, ip + 20) & 0xFFFF);
        int t = ip + 20;
        put16(f, t, 40_000);
        put16(f, t + 2, 5201);
        put32(f, t + 4, seq);
        put32(f, t + 8, 777);
        f[t + 12] = (byte) ((tcp / 4) << 4);
        f[t + 13] = (byte) flags;
        put16(f, t + 14, 500);
        System.arraycopy(TIMESTAMPS, 0, f, t + 20, TIMESTAMPS.length);
        for (int i = 0; i < payload; i++) {
            f[t + tcp + i] = (byte) (seq + i);
        }
        put16(f, t + 16, ~fold(pseudo(f, tcp + payload) + raw(f, t, f.length)) & 0xFFFF);
        assertEquals(0xFFFF, tcpResidue(f));
        return f;
    }

    private static int pseudoHeaderSum(byte[] f, int tcpLength) {
        return fold(pseudo(f, tcpLength));
    }

    private static long pseudo(byte[] f, int tcpLength) {
        return raw(f, ETH + 12, ETH + 20) + 6 + tcpLength;
    }

    private static int sum(byte[] f, int from, int to) {
        return fold(raw(f, from, to));
    }
}
