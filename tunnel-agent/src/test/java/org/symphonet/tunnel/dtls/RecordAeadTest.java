package org.symphonet.tunnel.dtls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * Both record ciphers seal what the other opens (so a JDK-cipher node and a libcrypto node
 * interoperate), and neither opens a record with any altered byte: header (additional data),
 * explicit nonce, ciphertext or tag.
 */
class RecordAeadTest {
    private static final Random RANDOM = new Random(7);

    static SessionKeys keys(boolean server) {
        byte[] block = new byte[2 * 16 + 2 * SessionKeys.SALT];
        new Random(42).nextBytes(block);
        return SessionKeys.fromKeyBlock(block, 16, server);
    }

    static byte[] record(int plain, long seq) {
        byte[] r = new byte[RecordAead.OVERHEAD + plain];
        r[0] = 23;
        r[1] = (byte) 0xFE;
        r[2] = (byte) 0xFD;
        r[4] = 1;
        for (int i = 0; i < 6; i++) {
            r[5 + i] = (byte) (seq >>> (8 * (5 - i)));
        }
        int fragment = r.length - RecordAead.HEADER;
        r[11] = (byte) (fragment >>> 8);
        r[12] = (byte) fragment;
        byte[] data = new byte[plain];
        RANDOM.nextBytes(data);
        System.arraycopy(data, 0, r, RecordAead.HEADER + RecordAead.EXPLICIT_NONCE, plain);
        return r;
    }

    @Test
    void eachCipherOpensWhatEitherSealsAndRefusesEveryAlteredByte() throws Exception {
        assertNull(RecordCipher.probeLibCrypto(), "libcrypto must work on this machine");
        for (RecordCipher sealKind : RecordCipher.values()) {
            for (RecordCipher openKind : RecordCipher.values()) {
                RecordAead[] client = RecordAead.create(sealKind, keys(false));
                RecordAead[] server = RecordAead.create(openKind, keys(true));
                try {
                    for (int plain : new int[] {0, 1, 99, 1400}) {
                        byte[] r = record(plain, 77 + plain);
                        byte[] data = Arrays.copyOfRange(r, 21, 21 + plain);
                        client[0].seal(r, 0, plain);
                        byte[] sealed = r.clone();
                        assertTrue(server[1].open(r, 0, r.length), sealKind + " -> " + openKind + " " + plain);
                        assertArrayEquals(data, Arrays.copyOfRange(r, 21, 21 + plain));
                        // Not the length field: the record's length is where it ends, which the caller takes from it.
                        for (int at : new int[] {0, 2, 4, 10, 13, 20, 21, sealed.length - 1}) {
                            if (at >= sealed.length || (plain == 0 && at == 21)) {
                                continue;
                            }
                            byte[] bad = sealed.clone();
                            bad[at] ^= 0x10;
                            assertFalse(server[1].open(bad, 0, bad.length), "altered byte " + at + " opened");
                        }
                    }
                } finally {
                    client[0].close();
                    client[1].close();
                    server[0].close();
                    server[1].close();
                }
            }
        }
    }

    @Test
    void explicitNonceIsTheRecordsEpochAndSequenceNumberWhateverOrderTheyComeIn() throws Exception {
        for (RecordCipher kind : RecordCipher.values()) {
            RecordAead[] aead = RecordAead.create(kind, keys(false));
            try {
                // Gaps and reordering, as when the lone-frame hop takes some numbers of the count.
                for (long seq : new long[] {1000, 1003, 1001, 1L << 40}) {
                    byte[] r = record(10, seq);
                    aead[0].seal(r, 0, 10);
                    long explicit = 0;
                    for (int b = 0; b < 8; b++) {
                        explicit = (explicit << 8) | (r[13 + b] & 0xFF);
                    }
                    org.junit.jupiter.api.Assertions.assertEquals((1L << 48) | seq, explicit, kind.name());
                }
            } finally {
                aead[0].close();
                aead[1].close();
            }
        }
    }
}
