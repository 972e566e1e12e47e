package org.symphonet.ofcontroller.flood;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.symphonet.ofcontroller.learning.ArpBindings;
import org.symphonet.ofcontroller.view.NodeId;

class FrbCodecTest {

    private static final NodeId ROOT = NodeId.parse("0123456789abcdef0123456789abcdef");
    private static final NodeId BOUND = NodeId.parse("fedcba9876543210fedcba9876543210");

    private static byte[] ethernetFrame(int length, Random rnd) {
        byte[] f = new byte[length];
        rnd.nextBytes(f);
        f[12] = 0x08;
        f[13] = 0x00;
        return f;
    }

    @Test
    void floodRoundTripsForEverySize() {
        Random rnd = new Random(1);
        for (int len = FrbCodec.MIN_FLOOD_PAYLOAD; len <= 1514; len += 37) {
            Frb frb = new Frb(FrbType.FLOOD, rnd.nextInt(0x10000), rnd.nextLong() & 0xffff_ffffL, ROOT, BOUND,
                    ethernetFrame(len, rnd));
            byte[] wire = FrbCodec.encode(frb);
            assertEquals(FrbCodec.OVERHEAD + len, wire.length);
            FrbCodec.Result r = FrbCodec.decode(wire);
            assertTrue(r.ok(), () -> "problem " + r.problem());
            assertEquals(frb, r.frb());
        }
    }

    @Test
    void announcementRoundTripsIncludingEmpty() {
        for (int macs : new int[] {0, 1, 7, 240}) {
            byte[] payload = new byte[macs * 6];
            new Random(macs).nextBytes(payload);
            Frb frb = new Frb(FrbType.LEAF_ANNOUNCEMENT, 3, 0xffff_ffffL, ROOT, ROOT, payload);
            assertEquals(frb, FrbCodec.decode(FrbCodec.encode(frb)).frb());
        }
    }

    @Test
    void leafAddressesRoundTripAfterTheMacs() {
        byte[] addresses = new byte[3 * FrbCodec.ADDRESS_ENTRY];
        new Random(3).nextBytes(addresses);
        Frb frb = new Frb(FrbType.LEAF_ANNOUNCEMENT, 2, 9, ROOT, BOUND, new byte[12], addresses);
        byte[] wire = FrbCodec.encode(frb);
        assertEquals(FrbCodec.OVERHEAD + 12 + 2 + addresses.length, wire.length);
        assertEquals(12, wire[55], "the declared payload is the MACs alone");
        assertEquals(frb, FrbCodec.decode(wire).frb());
        assertEquals(frb.forwarded(ROOT).addresses().length, addresses.length, "handed on with the announcement");
        assertEquals(FrbCodec.ADDRESS_ENTRY, ArpBindings.ENTRY_BYTES, "the ARP table writes and reads the entries this carries");
    }

    @Test
    void aDecoderThatReadsOnlyTheDeclaredPayloadSeesThePlainAnnouncement() {
        Frb frb = new Frb(FrbType.LEAF_ANNOUNCEMENT, 0, 9, ROOT, BOUND, new byte[6], new byte[FrbCodec.ADDRESS_ENTRY]);
        byte[] wire = FrbCodec.encode(frb);
        byte[] declared = Arrays.copyOf(wire, FrbCodec.OVERHEAD + 6);
        assertEquals(new Frb(FrbType.LEAF_ANNOUNCEMENT, 0, 9, ROOT, BOUND, new byte[6]), FrbCodec.decode(declared).frb());
    }

    @Test
    void aLeafAddressCountBeyondTheFrameIsBadPayload() {
        Frb frb = new Frb(FrbType.LEAF_ANNOUNCEMENT, 0, 9, ROOT, BOUND, new byte[6], new byte[2 * FrbCodec.ADDRESS_ENTRY]);
        byte[] cut = Arrays.copyOf(FrbCodec.encode(frb), FrbCodec.OVERHEAD + 6 + 2 + FrbCodec.ADDRESS_ENTRY + 3);
        assertEquals(FrbCodec.Problem.BAD_PAYLOAD, FrbCodec.decode(cut).problem());
    }

    @Test
    void paddingAfterThePayloadIsIgnored() {
        Frb frb = new Frb(FrbType.LEAF_ANNOUNCEMENT, 0, 5, ROOT, BOUND, new byte[0]);
        byte[] padded = Arrays.copyOf(FrbCodec.encode(frb), 64);
        assertEquals(frb, FrbCodec.decode(padded).frb());
    }

    @Test
    void headerFieldsSitWhereTheDesignSays() {
        Frb frb = new Frb(FrbType.FLOOD, 0x0102, 0x0a0b0c0dL, ROOT, BOUND, ethernetFrame(60, new Random(2)));
        byte[] w = FrbCodec.encode(frb);
        assertEquals((byte) 0xc0, w[12]);
        assertEquals((byte) 0xc0, w[13]);
        assertEquals(1, w[14]);
        assertEquals(1, w[15]);
        assertEquals(0x01, w[16]);
        assertEquals(0x02, w[17]);
        assertEquals(0x0a, w[18]);
        assertEquals(0x0d, w[21]);
        assertEquals(ROOT, NodeId.fromBytes(w, 22));
        assertEquals(BOUND, NodeId.fromBytes(w, 38));
        assertEquals(0, w[54]);
        assertEquals(60, w[55]);
        assertTrue((w[6] & 0x02) != 0 && (w[6] & 0x01) == 0, "source MAC is locally administered unicast");
    }

    private static void assertProblem(FrbCodec.Problem expected, byte[] frame) {
        FrbCodec.Result r = FrbCodec.decode(frame);
        assertFalse(r.ok());
        assertEquals(expected, r.problem());
    }

    private static byte[] valid() {
        return FrbCodec.encode(new Frb(FrbType.FLOOD, 1, 9, ROOT, BOUND, ethernetFrame(64, new Random(3))));
    }

    @Test
    void nullAndEmptyAndTiny() {
        assertProblem(FrbCodec.Problem.TOO_SHORT, null);
        assertProblem(FrbCodec.Problem.TOO_SHORT, new byte[0]);
        assertProblem(FrbCodec.Problem.TOO_SHORT, new byte[13]);
    }

    @Test
    void everyTruncationOfTheHeaderIsTooShort() {
        byte[] v = valid();
        for (int len = FrbCodec.ETH_HEADER; len < FrbCodec.OVERHEAD; len++) {
            assertProblem(FrbCodec.Problem.TOO_SHORT, Arrays.copyOf(v, len));
        }
    }

    @Test
    void truncatedPayloadIsBadLength() {
        byte[] v = valid();
        assertProblem(FrbCodec.Problem.BAD_LENGTH, Arrays.copyOf(v, v.length - 1));
    }

    @Test
    void otherEthertype() {
        byte[] v = valid();
        v[13] = 0x00;
        assertProblem(FrbCodec.Problem.NOT_FRB, v);
    }

    @Test
    void badVersionsAndTypes() {
        for (int version : new int[] {0, 2, 255}) {
            byte[] v = valid();
            v[14] = (byte) version;
            assertProblem(FrbCodec.Problem.BAD_VERSION, v);
        }
        for (int type : new int[] {0, 3, 255}) {
            byte[] v = valid();
            v[15] = (byte) type;
            assertProblem(FrbCodec.Problem.BAD_TYPE, v);
        }
    }

    @Test
    void lengthBeyondTheFrame() {
        byte[] v = valid();
        v[54] = (byte) 0xff;
        v[55] = (byte) 0xff;
        assertProblem(FrbCodec.Problem.BAD_LENGTH, v);
    }

    @Test
    void floodCarryingLessThanAnEthernetHeader() {
        byte[] v = valid();
        v[54] = 0;
        v[55] = 13;
        assertProblem(FrbCodec.Problem.BAD_PAYLOAD, v);
    }

    @Test
    void announcementNotAWholeNumberOfMacs() {
        byte[] v = FrbCodec.encode(new Frb(FrbType.LEAF_ANNOUNCEMENT, 0, 1, ROOT, ROOT, new byte[12]));
        v[55] = 11;
        assertProblem(FrbCodec.Problem.BAD_PAYLOAD, v);
    }

    @Test
    void randomGarbageNeverThrows() {
        Random rnd = new Random(4);
        for (int i = 0; i < 20_000; i++) {
            byte[] g = new byte[rnd.nextInt(200)];
            rnd.nextBytes(g);
            if (g.length > 14 && rnd.nextBoolean()) {
                g[12] = (byte) 0xc0;
                g[13] = (byte) 0xc0;
                g[14] = 1;
            }
            FrbCodec.Result r = FrbCodec.decode(g);
            assertTrue(r.ok() ^ r.problem() != null);
        }
    }

    @Test
    void payloadIsCopiedNotShared() {
        byte[] wire = valid();
        Frb frb = FrbCodec.decode(wire).frb();
        byte[] before = frb.payload().clone();
        Arrays.fill(wire, (byte) 0);
        assertArrayEquals(before, frb.payload());
    }
}
