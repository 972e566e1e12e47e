package org.symphonet.tunnel.tap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.symphonet.tunnel.tap.FrameBytes.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class SegmentSplitterTest {
    private static final int H = SegmentJoiner.HEADER;
    private static final byte[] TIMESTAMPS = {1, 1, 8, 10, 0, 0, 0, 7, 0, 0, 0, 9};
    private final SegmentSplitter splitter = new SegmentSplitter();

    @Test
    void cutsASuperframeIntoSegmentsWithTheirOwnHeadersAndChecksums() {
        byte[] payload = payload(3000);
        ByteBuffer in = superframe(payload, 1448, 0x18 | 0x80);
        assertTrue(SegmentSplitter.needed(in, 0));
        List<byte[]> segs = split(in);
        assertEquals(3, segs.size());
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (int i = 0; i < 3; i++) {
            byte[] f = segs.get(i);
            int size = i < 2 ? 1448 : 3000 - 2 * 1448;
            assertEquals(ETH + 20 + 32 + size, f.length);
            assertEquals(20 + 32 + size, u16(f, ETH + 2), "IP total length");
            assertEquals(0xFFFF, fold(raw(f, ETH, ETH + 20)), "IP header checksum valid");
            assertEquals(700 + i, u16(f, ETH + 4), "IP ID counts up");
            assertEquals(5000 + i * 1448, i32(f, ETH + 24), "sequence number");
            int flags = f[ETH + 33] & 0xFF;
            assertEquals(i == 2, (flags & 0x08) != 0, "PSH on the last only");
            assertEquals(i == 0, (flags & 0x80) != 0, "CWR on the first only");
            assertEquals(0xFFFF, tcpResidue(f), "TCP checksum valid");
            assertArrayEquals(TIMESTAMPS, Arrays.copyOfRange(f, ETH + 40, ETH + 52), "options kept");
            data.write(f, ETH + 52, size);
        }
        assertArrayEquals(payload, data.toByteArray());
        assertFalse(splitter.hasNext());
    }

    @Test
    void cutsASuperframeBehindAVlanTag() {
        byte[] payload = payload(3000);
        byte[] plain = superframeBytes(payload, 1448, 0x10);
        byte[] tagged = new byte[plain.length + 4];
        System.arraycopy(plain, 0, tagged, 0, H + 12);
        tagged[H + 12] = (byte) 0x81;
        tagged[H + 15] = 100;
        System.arraycopy(plain, H + 12, tagged, H + 16, plain.length - H - 12);
        ByteBuffer in = ByteBuffer.wrap(tagged).order(ByteOrder.nativeOrder());
        in.putShort(6, (short) (ETH + 4 + 20));
        List<byte[]> segs = split(in);
        assertEquals(3, segs.size());
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (int i = 0; i < 3; i++) {
            byte[] tag = segs.get(i);
            assertEquals(0x8100, u16(tag, 12), "tag kept");
            byte[] f = new byte[tag.length - 4];
            System.arraycopy(tag, 0, f, 0, 12);
            System.arraycopy(tag, 16, f, 12, tag.length - 16);
            assertEquals(0xFFFF, fold(raw(f, ETH, ETH + 20)), "IP header checksum valid");
            assertEquals(0xFFFF, tcpResidue(f), "TCP checksum valid");
            data.write(f, ETH + 52, f.length - ETH - 52);
        }
        assertArrayEquals(payload, data.toByteArray());
    }

    @Test
    void whatItCutsTheJoinerPutsBackTogether() {
        byte[] payload = payload(20_000);
        List<byte[]> segs = split(superframe(payload, 1400, 0x10));
        assertEquals(15, segs.size());
        SegmentJoiner joiner = new SegmentJoiner(ByteBuffer.allocateDirect(H + 14 + 65_535));
        for (byte[] s : segs) {
            assertTrue(joiner.offer(s, 0, s.length));
        }
        int n = joiner.take();
        byte[] out = new byte[n];
        joiner.buffer().get(0, out, 0, n);
        assertArrayEquals(payload, Arrays.copyOfRange(out, H + ETH + 52, n));
        assertEquals(1400, ByteBuffer.wrap(out).order(ByteOrder.nativeOrder()).getShort(4), "gso_size");
    }

    @Test
    void completesTheChecksumOfAFrameLeftToHardware() {
        // A UDP datagram with CHECKSUM_PARTIAL: the field holds the pseudo-header sum.
        byte[] frame = new byte[ETH + 20 + 8 + 101];
        frame[12] = 0x08;
        frame[ETH] = 0x45;
        put16(frame, ETH + 2, 20 + 8 + 101);
        frame[ETH + 8] = 64;
        frame[ETH + 9] = 17;
        System.arraycopy(new byte[] {10, 1, 1, 1, 10, 1, 1, 2}, 0, frame, ETH + 12, 8);
        put16(frame, ETH + 10, ~fold(raw(frame, ETH, ETH + 20)) & 0xFFFF);
        put16(frame, ETH + 20, 4000);
        put16(frame, ETH + 22, 53);
        put16(frame, ETH + 24, 8 + 101);
        System.arraycopy(payload(101), 0, frame, ETH + 28, 101);
        long pseudo = raw(frame, ETH + 12, ETH + 20) + 17 + 8 + 101;
        put16(frame, ETH + 26, fold(pseudo));
        ByteBuffer in = withHeader(frame, 1, 0, 0, ETH + 20, 6);
        List<byte[]> out = split(in);
        assertEquals(1, out.size());
        byte[] f = out.get(0);
        assertEquals(0xFFFF, fold(pseudo + raw(f, ETH + 20, f.length)), "UDP checksum valid");
    }

    @Test
    void aPlainFrameComesOutAsItIsAndOtherSegmentationYieldsNothing() {
        byte[] frame = payload(60);
        assertFalse(SegmentSplitter.needed(withHeader(frame, 0, 0, 0, 0, 0), 0));
        assertEquals(List.of(), split(withHeader(frame, 1, 4, 1000, ETH + 40, 16)), "TCPv6 was not asked for");
        assertEquals(List.of(), split(withHeader(frame, 1, 3, 1000, ETH + 20, 6)), "UFO was not asked for");
        assertEquals(List.of(), split(withHeader(frame, 1, 0, 0, 50, 16)), "checksum field past the end");
        byte[] notIp = superframeBytes(payload(3000), 1448, 0x10);
        notIp[H + 12] = (byte) 0x86;
        assertEquals(List.of(), split(ByteBuffer.wrap(notIp)), "a TCPv4 superframe that is not IPv4");
        splitter.start(ByteBuffer.wrap(new byte[5]), 0, 5);
        assertFalse(splitter.hasNext(), "shorter than a header");
    }

    @Test
    void aSegmentThatDoesNotFitIsDroppedNotCut() {
        splitter.start(superframe(payload(3000), 1448, 0x10), 0, H + ETH + 52 + 3000);
        assertEquals(0, splitter.next(new byte[1000], 0, 1000));
        assertFalse(splitter.hasNext());
    }

    @Test
    void sumsLikeTheTextbookOneOverOddLengthsAndOffsets() {
        Random r = new Random(7);
        for (int len = 0; len < 80; len++) {
            byte[] b = new byte[len + 3];
            r.nextBytes(b);
            long textbook = 0;
            for (int i = 0; i < len; i += 2) {
                textbook += ((b[1 + i] & 0xFF) << 8) | (i + 1 < len ? b[2 + i] & 0xFF : 0);
            }
            assertEquals(fold(textbook), SegmentSplitter.fold(SegmentSplitter.sum(b, 1, 1 + len)), "length " + len);
        }
    }

    private List<byte[]> split(ByteBuffer in) {
        splitter.start(in, 0, in.limit());
        List<byte[]> out = new ArrayList<>();
        byte[] dst = new byte[1 + TapDevice.MAX_FRAME];
        while (splitter.hasNext()) {
            int n = splitter.next(dst, 1, dst.length - 1);
            if (n > 0) {
                out.add(Arrays.copyOfRange(dst, 1, 1 + n));
            }
        }
        return out;
    }

    private static ByteBuffer superframe(byte[] payload, int mss, int flags) {
        return ByteBuffer.wrap(superframeBytes(payload, mss, flags));
    }

    /** What a TAP with TSO hands over: header, then one IPv4 TCP frame carrying the whole payload. */
    private static byte[] superframeBytes(byte[] payload, int mss, int flags) {
        int tcp = 20 + TIMESTAMPS.length;
        byte[] f = new byte[ETH + 20 + tcp + payload.length];
        for (int i = 0; i < 6; i++) {
            f[i] = (byte) (0x02 + i);
            f[6 + i] = (byte) (0x12 + i);
        }
        f[12] = 0x08;
        f[ETH] = 0x45;
        put16(f, ETH + 2, 20 + tcp + payload.length);
        put16(f, ETH + 4, 700);
        f[ETH + 6] = 0x40;
        f[ETH + 8] = 64;
        f[ETH + 9] = 6;
        System.arraycopy(new byte[] {10, (byte) 201, 52, 1, 10, (byte) 201, 52, 2}, 0, f, ETH + 12, 8);
        int t = ETH + 20;
        put16(f, t, 40_000);
        put16(f, t + 2, 5201);
        put32(f, t + 4, 5000);
        put32(f, t + 8, 777);
        f[t + 12] = (byte) ((tcp / 4) << 4);
        f[t + 13] = (byte) flags;
        put16(f, t + 14, 500);
        System.arraycopy(TIMESTAMPS, 0, f, t + 20, TIMESTAMPS.length);
        System.arraycopy(payload, 0, f, t + tcp, payload.length);
        // As the kernel leaves it: the pseudo-header sum without the length in the checksum field.
        put16(f, t + 16, fold(raw(f, ETH + 12, ETH + 20) + 6));
        return withHeader(f, 1, 1, mss, ETH + 20, 16).array();
    }

    private static ByteBuffer withHeader(byte[] frame, int flags, int gso, int gsoSize, int csumStart, int csumOffset) {
        ByteBuffer b = ByteBuffer.allocate(H + frame.length).order(ByteOrder.nativeOrder());
        b.put(0, (byte) flags);
        b.put(1, (byte) gso);
        b.putShort(2, (short) 0);
        b.putShort(4, (short) gsoSize);
        b.putShort(6, (short) csumStart);
        b.putShort(8, (short) csumOffset);
        b.put(H, frame);
        return b;
    }

    private static byte[] payload(int n) {
        byte[] p = new byte[n];
        new Random(n).nextBytes(p);
        return p;
    }
}
