package org.symphonet.tunnel.ice.stun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

import org.junit.jupiter.api.Test;

class StunCodecTest {
    private static final byte[] TID = HexFormat.of().parseHex("b7e7a701bc34d686fa87dfae");

    private static StunMessage check() throws Exception {
        return new StunMessage.Builder(StunMessage.BINDING | StunMessage.REQUEST, TID)
                .text(StunMessage.USERNAME, "abcd:efgh")
                .uint32(StunMessage.PRIORITY, 0x6e0001ffL)
                .add(StunMessage.USE_CANDIDATE, new byte[0])
                .xorAddress(StunMessage.XOR_PEER_ADDRESS, new InetSocketAddress(InetAddress.getByName("192.0.2.1"),
                        32853))
                .build();
    }

    @Test
    void roundTripWithIntegrityAndFingerprint() throws Exception {
        byte[] key = StunCodec.shortTermKey("password");
        byte[] wire = StunCodec.encode(check(), key, true);
        assertTrue(StunCodec.looksLikeStun(wire, 0, wire.length));
        StunMessage m = StunCodec.decode(wire, 0, wire.length);
        assertNotNull(m);
        assertTrue(m.isRequest());
        assertEquals(StunMessage.BINDING, m.method());
        assertArrayEquals(TID, m.transactionId());
        assertEquals("abcd:efgh", new String(m.get(StunMessage.USERNAME)));
        assertEquals(0x6e0001ffL, m.uint32(StunMessage.PRIORITY));
        assertTrue(m.has(StunMessage.USE_CANDIDATE));
        assertEquals(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853),
                m.xorAddress(StunMessage.XOR_PEER_ADDRESS));
        assertTrue(StunCodec.checkIntegrity(wire, 0, wire.length, key));
        assertFalse(StunCodec.checkIntegrity(wire, 0, wire.length, StunCodec.shortTermKey("other")));
    }

    @Test
    void integrityCoversTheMessageAndFingerprintCatchesAnyFlip() throws Exception {
        byte[] key = StunCodec.shortTermKey("password");
        byte[] wire = StunCodec.encode(check(), key, false);
        byte[] tampered = wire.clone();
        tampered[25] ^= 1;
        assertNotNull(StunCodec.decode(tampered, 0, tampered.length), "no fingerprint: still parses");
        assertFalse(StunCodec.checkIntegrity(tampered, 0, tampered.length, key), "but fails integrity");

        byte[] withFp = StunCodec.encode(check(), key, true);
        for (int i = 20; i < withFp.length - 8; i++) {
            byte[] t = withFp.clone();
            t[i] ^= 0x10;
            StunMessage m = StunCodec.decode(t, 0, t.length);
            assertTrue(m == null || !StunCodec.checkIntegrity(t, 0, t.length, key), "flip at " + i);
        }
    }

    /** RFC 5769 §2.1's sample request: our HMAC and CRC agree with the published bytes. */
    @Test
    void rfc5769SampleRequest() {
        byte[] wire = HexFormat.of().parseHex("000100582112a442b7e7a701bc34d686fa87dfae"
                + "802200105354554e207465737420636c69656e74" + "002400046e0001ff" + "80290008932ff9b151263b36"
                + "000600096576746a3a6836765920202000080014" + "9aeaa70cbfd8cb56781ef2b5b2d3f249c1b571a2"
                + "80280004e57a3bcf");
        StunMessage m = StunCodec.decode(wire, 0, wire.length);
        assertNotNull(m, "fingerprint of the RFC sample");
        assertEquals("evtj:h6vY", new String(m.get(StunMessage.USERNAME)));
        assertTrue(StunCodec.checkIntegrity(wire, 0, wire.length, StunCodec.shortTermKey("VOkJxbRl1RmTxUk/WvJxBt")));
    }

    @Test
    void truncatedOrOverlongMessagesAreDropped() throws Exception {
        byte[] wire = StunCodec.encode(check(), StunCodec.shortTermKey("p"), true);
        for (int n = 0; n < wire.length; n++) {
            assertNull(StunCodec.decode(wire, 0, n), "truncated to " + n);
        }
        byte[] longer = Arrays.copyOf(wire, wire.length + 4);
        assertNull(StunCodec.decode(longer, 0, longer.length));
    }

    @Test
    void channelDataFraming() {
        byte[] frame = new byte[4 + 5];
        ChannelData.writeHeader(frame, 0, 0x4001, 5);
        assertTrue(ChannelData.looksLikeChannelData(frame, 0, frame.length));
        assertEquals(0x4001, ChannelData.channel(frame, 0));
        assertEquals(5, ChannelData.payloadLength(frame, 0, frame.length));
        // Padded to 4 bytes (allowed) and with a length beyond the datagram (refused).
        assertEquals(5, ChannelData.payloadLength(Arrays.copyOf(frame, 12), 0, 12));
        assertEquals(-1, ChannelData.payloadLength(frame, 0, 8));
        ChannelData.writeHeader(frame, 0, 0x3fff, 5);
        assertEquals(-1, ChannelData.payloadLength(frame, 0, frame.length), "not a channel number");
        ChannelData.writeHeader(frame, 0, 0x5000, 5);
        assertEquals(-1, ChannelData.payloadLength(frame, 0, frame.length), "reserved range");
    }

    @Test
    void garbageIsDroppedNeverThrown() {
        Random r = new Random(15);
        byte[] key = StunCodec.shortTermKey("k");
        for (int i = 0; i < 20000; i++) {
            byte[] g = new byte[r.nextInt(120)];
            r.nextBytes(g);
            if (g.length >= 8 && i % 2 == 0) {
                // Half of them with a valid first byte and magic cookie, to get past the first test.
                g[0] = (byte) r.nextInt(4);
                g[4] = 0x21;
                g[5] = 0x12;
                g[6] = (byte) 0xa4;
                g[7] = 0x42;
                if (g.length >= 20) {
                    int len = g.length - 20;
                    g[2] = (byte) (len >>> 8);
                    g[3] = (byte) len;
                }
            }
            StunMessage m = StunCodec.decode(g, 0, g.length);
            if (m != null) {
                m.xorAddress(StunMessage.XOR_MAPPED_ADDRESS);
                m.errorCode();
                m.uint32(StunMessage.LIFETIME);
            }
            StunCodec.checkIntegrity(g, 0, g.length, key);
            ChannelData.payloadLength(g, 0, g.length);
        }
    }

    @Test
    void longTermKeyIsMd5OfUserRealmPassword() {
        // RFC 5769 §2.4: user "<U+30DE><U+30C8><U+30EA><U+30C3><U+30AF><U+30B9>", simpler here: ASCII.
        assertEquals("8493fbc53ba582fb4c044c456bdc40eb",
                HexFormat.of().formatHex(StunCodec.longTermKey("user", "realm", "pass")));
    }
}
