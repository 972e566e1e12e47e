package org.symphonet.tunnel.fragment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class FragmentCodecTest {

    private static List<byte[]> fragments(Fragmenter f, byte[] frame) throws Exception {
        List<byte[]> out = new ArrayList<>();
        int n = f.send(frame, 0, frame.length, (b, off, len) -> out.add(Arrays.copyOfRange(b, off, off + len)));
        assertEquals(n, out.size());
        return out;
    }

    private static byte[] frame(int len, long seed) {
        byte[] b = new byte[len];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void fullSizeFrameSplitsIntoTwoEvenRecordsThatFitTheLimit() throws Exception {
        Fragmenter f = new Fragmenter(1400);
        byte[] frame = frame(1514, 1);
        List<byte[]> parts = fragments(f, frame);
        assertEquals(2, parts.size());
        for (byte[] p : parts) {
            assertEquals(true, p.length <= 1400);
            assertEquals(MessageType.FRAGMENT, p[0]);
        }
        assertEquals(true, Math.abs(parts.get(0).length - parts.get(1).length) <= 1);
        Reassembler r = new Reassembler(4, 9216);
        assertEquals(Reassembler.INCOMPLETE, r.accept(parts.get(0), 0, parts.get(0).length));
        int len = r.accept(parts.get(1), 0, parts.get(1).length);
        assertEquals(1514, len);
        assertArrayEquals(frame, Arrays.copyOf(r.frame(), len));
    }

    @Test
    void roundTripsManySizesInAnyOrder() throws Exception {
        Fragmenter f = new Fragmenter(200);
        Reassembler r = new Reassembler(4, 9216);
        Random random = new Random(7);
        for (int size = 200; size < 2800; size += 97) {
            byte[] frame = frame(size, size);
            List<byte[]> parts = fragments(f, frame);
            Collections.shuffle(parts, random);
            int done = -1;
            for (int i = 0; i < parts.size(); i++) {
                int res = r.accept(parts.get(i), 0, parts.get(i).length);
                if (i < parts.size() - 1) {
                    assertEquals(Reassembler.INCOMPLETE, res);
                } else {
                    done = res;
                }
            }
            assertEquals(size, done);
            assertArrayEquals(frame, Arrays.copyOf(r.frame(), done));
        }
    }

    @Test
    void interleavedFramesReassembleIndependently() throws Exception {
        Fragmenter f = new Fragmenter(600);
        Reassembler r = new Reassembler(4, 9216);
        byte[] a = frame(1500, 1);
        byte[] b = frame(1300, 2);
        List<byte[]> pa = fragments(f, a);
        List<byte[]> pb = fragments(f, b);
        assertEquals(Reassembler.INCOMPLETE, r.accept(pa.get(0), 0, pa.get(0).length));
        assertEquals(Reassembler.INCOMPLETE, r.accept(pb.get(0), 0, pb.get(0).length));
        assertEquals(Reassembler.INCOMPLETE, r.accept(pb.get(1), 0, pb.get(1).length));
        assertEquals(1300, r.accept(pb.get(2), 0, pb.get(2).length));
        assertArrayEquals(b, Arrays.copyOf(r.frame(), 1300));
        assertEquals(Reassembler.INCOMPLETE, r.accept(pa.get(1), 0, pa.get(1).length));
        assertEquals(1500, r.accept(pa.get(2), 0, pa.get(2).length));
        assertArrayEquals(a, Arrays.copyOf(r.frame(), 1500));
    }

    @Test
    void lostFragmentsAreEvictedNotLeaked() throws Exception {
        Fragmenter f = new Fragmenter(900);
        Reassembler r = new Reassembler(2, 9216);
        for (int i = 0; i < 10; i++) {
            byte[] first = fragments(f, frame(1500, i)).get(0);
            assertEquals(Reassembler.INCOMPLETE, r.accept(first, 0, first.length));
        }
        assertEquals(8, r.evicted());
        byte[] frame = frame(1500, 99);
        List<byte[]> parts = fragments(f, frame);
        r.accept(parts.get(0), 0, parts.get(0).length);
        assertEquals(1500, r.accept(parts.get(1), 0, parts.get(1).length));
    }

    @Test
    void duplicateFragmentIsRejected() throws Exception {
        Fragmenter f = new Fragmenter(900);
        Reassembler r = new Reassembler(2, 9216);
        byte[] first = fragments(f, frame(1500, 3)).get(0);
        assertEquals(Reassembler.INCOMPLETE, r.accept(first, 0, first.length));
        assertEquals(Reassembler.INVALID, r.accept(first, 0, first.length));
    }

    @Test
    void malformedHeadersAreRejectedWithoutWritingOutOfBounds() {
        Reassembler r = new Reassembler(2, 2048);
        // too short
        assertEquals(Reassembler.INVALID, r.accept(new byte[] {MessageType.FRAGMENT, 0, 1}, 0, 3));
        // wrong type
        assertEquals(Reassembler.INVALID, r.accept(msg(MessageType.FRAME, 1, 0, 2, 0, 100, 10), 0, 19));
        // count 1 is not a fragment; count > 16; index >= count
        assertEquals(Reassembler.INVALID, r.accept(msg(MessageType.FRAGMENT, 1, 0, 1, 0, 100, 10), 0, 19));
        assertEquals(Reassembler.INVALID, r.accept(msg(MessageType.FRAGMENT, 1, 0, 17, 0, 100, 10), 0, 19));
        assertEquals(Reassembler.INVALID, r.accept(msg(MessageType.FRAGMENT, 1, 2, 2, 0, 100, 10), 0, 19));
        // total above the buffer; data past the declared total
        assertEquals(Reassembler.INVALID, r.accept(msg(MessageType.FRAGMENT, 1, 0, 2, 0, 60000, 10), 0, 19));
        assertEquals(Reassembler.INVALID, r.accept(msg(MessageType.FRAGMENT, 1, 0, 2, 95, 100, 10), 0, 19));
        // a later fragment that disagrees on the total drops the whole frame
        assertEquals(Reassembler.INCOMPLETE, r.accept(msg(MessageType.FRAGMENT, 5, 0, 2, 0, 100, 10), 0, 19));
        assertEquals(Reassembler.INVALID, r.accept(msg(MessageType.FRAGMENT, 5, 1, 2, 50, 120, 10), 0, 19));
    }

    @Test
    void tooLargeFrameIsRefusedBySender() throws Exception {
        Fragmenter f = new Fragmenter(100);
        assertEquals(0, f.send(new byte[100 * 20], 0, 2000, (b, o, l) -> { }));
    }

    private static byte[] msg(byte type, int id, int index, int count, int pos, int total, int dataLen) {
        byte[] m = new byte[Fragmenter.HEADER + dataLen];
        m[0] = type;
        m[1] = (byte) (id >> 8);
        m[2] = (byte) id;
        m[3] = (byte) index;
        m[4] = (byte) count;
        m[5] = (byte) (pos >> 8);
        m[6] = (byte) pos;
        m[7] = (byte) (total >> 8);
        m[8] = (byte) total;
        return m;
    }
}
