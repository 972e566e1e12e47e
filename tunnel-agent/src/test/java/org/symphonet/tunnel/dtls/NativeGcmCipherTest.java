package org.symphonet.tunnel.dtls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

import org.bouncycastle.tls.crypto.impl.TlsAEADCipherImpl;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** libcrypto's AES-GCM against published answers and against the JDK cipher it replaces. */
class NativeGcmCipherTest {
    private static final HexFormat HEX = HexFormat.of();

    @BeforeAll
    static void libcryptoLoads() {
        // Debian 12 always has libssl3 (the package depends on it): a failure here is a real one.
        assertNull(LibCrypto.load(), "libcrypto.so.3 loads");
    }

    /**
     * Test cases 1-4 and 13-16 of the GCM specification (McGrew and Viega), which NIST's
     * CAVP vectors and RFC 4106's examples reuse: key, nonce, AAD, plaintext, ciphertext, tag.
     */
    @ParameterizedTest(name = "GCM test case {0}")
    @CsvSource({
        "1, 00000000000000000000000000000000, 000000000000000000000000, , , , 58e2fccefa7e3061367f1d57a4e7455a",
        "2, 00000000000000000000000000000000, 000000000000000000000000, , 00000000000000000000000000000000,"
            + " 0388dace60b6a392f328c2b971b2fe78, ab6e47d42cec13bdf53a67b21257bddf",
        "3, feffe9928665731c6d6a8f9467308308, cafebabefacedbaddecaf888, ,"
            + " d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255,"
            + " 42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985,"
            + " 4d5c2af327cd64a62cf35abd2ba6fab4",
        "4, feffe9928665731c6d6a8f9467308308, cafebabefacedbaddecaf888, feedfacedeadbeeffeedfacedeadbeefabaddad2,"
            + " d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39,"
            + " 42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091,"
            + " 5bc94fbc3221a5db94fae95ae7121a47",
        "13, 0000000000000000000000000000000000000000000000000000000000000000, 000000000000000000000000, , , ,"
            + " 530f8afbc74536b9a963b4f1c4cb738b",
        "14, 0000000000000000000000000000000000000000000000000000000000000000, 000000000000000000000000, ,"
            + " 00000000000000000000000000000000, cea7403d4d606b6e074ec5d3baf39d18, d0d1c8a799996bf0265b98b5d48ab919",
        "16, feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308, cafebabefacedbaddecaf888,"
            + " feedfacedeadbeeffeedfacedeadbeefabaddad2,"
            + " d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39,"
            + " 522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662,"
            + " 76fc6ece0f4e1768cddf8853bb2d551b",
    })
    void knownAnswers(int testCase, String k, String iv, String a, String p, String c, String t) throws Exception {
        byte[] key = HEX.parseHex(k);
        byte[] nonce = HEX.parseHex(iv);
        byte[] aad = a == null ? null : HEX.parseHex(a);
        byte[] plain = p == null ? new byte[0] : HEX.parseHex(p);
        byte[] sealed = HEX.parseHex((c == null ? "" : c) + t);
        try (NativeGcmCipher enc = keyed(true, key); NativeGcmCipher dec = keyed(false, key)) {
            assertArrayEquals(sealed, seal(enc, nonce, aad, plain), "libcrypto ciphertext and tag");
            assertArrayEquals(plain, open(dec, nonce, aad, sealed), "libcrypto plaintext");
        }
        // The vector itself, checked on the JDK too: a typo in it would fail here rather than mislead.
        assertArrayEquals(sealed, seal(keyed(new GcmCipher(true), key), nonce, aad, plain), "JDK agrees");
    }

    @Test
    void interoperatesWithTheJdkCipherBothWaysOnRandomRecords() throws Exception {
        Random random = new Random(15);
        for (int keyLength : new int[] {16, 32}) {
            byte[] key = bytes(random, keyLength);
            try (NativeGcmCipher nativeEnc = keyed(true, key); NativeGcmCipher nativeDec = keyed(false, key)) {
                TlsAEADCipherImpl jdkEnc = keyed(new GcmCipher(true), key);
                TlsAEADCipherImpl jdkDec = keyed(new GcmCipher(false), key);
                for (int i = 0; i < 300; i++) {
                    int size = i < 3 ? i * 750 : random.nextInt(1501);     // 0 and 1500 included
                    byte[] plain = bytes(random, size);
                    byte[] aad = random.nextInt(4) == 0 ? null : bytes(random, random.nextInt(40));
                    byte[] nonce = bytes(random, 12);
                    byte[] fromNative = seal(nativeEnc, nonce, aad, plain);
                    byte[] fromJdk = seal(jdkEnc, nonce(nonce, 1), aad, plain);
                    assertArrayEquals(plain, open(jdkDec, nonce, aad, fromNative), "JDK opens libcrypto's, " + size);
                    assertArrayEquals(plain, open(nativeDec, nonce(nonce, 1), aad, fromJdk), "libcrypto opens JDK's, " + size);
                }
            }
        }
    }

    @Test
    void tamperedTagCiphertextOrAadIsRejectedLikeTheJdkCipher() throws Exception {
        Random random = new Random(16);
        byte[] key = bytes(random, 16);
        byte[] nonce = bytes(random, 12);
        byte[] aad = bytes(random, 13);
        byte[] plain = bytes(random, 1400);
        try (NativeGcmCipher enc = keyed(true, key); NativeGcmCipher dec = keyed(false, key)) {
            TlsAEADCipherImpl jdkDec = keyed(new GcmCipher(false), key);
            byte[] sealed = seal(enc, nonce, aad, plain);
            byte[] badTag = sealed.clone();
            badTag[badTag.length - 1] ^= 1;
            byte[] badData = sealed.clone();
            badData[700] ^= (byte) 0x80;
            byte[] badAad = aad.clone();
            badAad[12] ^= 1;
            for (TlsAEADCipherImpl d : new TlsAEADCipherImpl[] {dec, jdkDec}) {
                // BC turns exactly this (a RuntimeException from doFinal) into bad_record_mac.
                assertThrows(IllegalStateException.class, () -> open(d, nonce, aad, badTag), "tag");
                assertThrows(IllegalStateException.class, () -> open(d, nonce, aad, badData), "ciphertext");
                assertThrows(IllegalStateException.class, () -> open(d, nonce, badAad, sealed), "AAD");
                assertThrows(IllegalStateException.class, () -> open(d, nonce, null, sealed), "AAD dropped");
                assertThrows(IllegalStateException.class, () -> open(d, nonce, aad, Arrays.copyOf(sealed, 10)),
                        "shorter than a tag");
            }
            // A rejected record leaves the cipher usable for the next one.
            assertArrayEquals(plain, open(dec, nonce, aad, sealed));
        }
    }

    @Test
    void recordsLargerThanTheFirstBufferGrowIt() throws Exception {
        Random random = new Random(17);
        byte[] key = bytes(random, 16);
        byte[] plain = bytes(random, 16384 + 1);
        byte[] nonce = bytes(random, 12);
        try (NativeGcmCipher enc = keyed(true, key)) {
            byte[] sealed = seal(enc, nonce, null, plain);
            assertArrayEquals(plain, open(keyed(new GcmCipher(false), key), nonce, null, sealed));
        }
    }

    @Test
    void inPlaceLikeBouncyCastleDoesIt() throws Exception {
        Random random = new Random(18);
        byte[] key = bytes(random, 16);
        byte[] nonce = bytes(random, 12);
        byte[] plain = bytes(random, 1000);
        byte[] record = new byte[8 + plain.length + 16];
        System.arraycopy(plain, 0, record, 8, plain.length);
        try (NativeGcmCipher enc = keyed(true, key); NativeGcmCipher dec = keyed(false, key)) {
            enc.init(nonce, 16);
            assertEquals(plain.length + 16, enc.doFinal(null, record, 8, plain.length, record, 8));
            dec.init(nonce, 16);
            assertEquals(plain.length, dec.doFinal(null, record, 8, plain.length + 16, record, 8));
            assertArrayEquals(plain, Arrays.copyOfRange(record, 8, 8 + plain.length));
        }
    }

    @Test
    void aClosedCipherRefusesRecordsInsteadOfTouchingFreedMemory() throws Exception {
        byte[] key = new byte[16];
        NativeGcmCipher enc = keyed(true, key);
        enc.close();
        enc.close();
        assertThrows(IllegalStateException.class, () -> seal(enc, new byte[12], null, new byte[10]));
    }

    @Test
    void theStartUpSelfTestPasses() {
        assertNull(RecordCipher.selfTest(new NativeGcmCipher(true), new NativeGcmCipher(false)));
    }

    static <T extends TlsAEADCipherImpl> T keyed(T cipher, byte[] key) throws Exception {
        cipher.setKey(key, 0, key.length);
        return cipher;
    }

    static NativeGcmCipher keyed(boolean encrypting, byte[] key) throws Exception {
        return keyed(new NativeGcmCipher(encrypting), key);
    }

    static byte[] seal(TlsAEADCipherImpl c, byte[] nonce, byte[] aad, byte[] plain) throws Exception {
        c.init(nonce, 16);
        byte[] out = new byte[c.getOutputSize(plain.length)];
        assertEquals(out.length, c.doFinal(aad, plain, 0, plain.length, out, 0));
        return out;
    }

    static byte[] open(TlsAEADCipherImpl c, byte[] nonce, byte[] aad, byte[] sealed) throws Exception {
        c.init(nonce, 16);
        byte[] out = new byte[c.getOutputSize(sealed.length)];
        assertEquals(out.length, c.doFinal(aad, sealed, 0, sealed.length, out, 0));
        return out;
    }

    private static byte[] bytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** The JDK refuses to encrypt twice under one key and nonce; its records get a neighbour nonce. */
    private static byte[] nonce(byte[] nonce, int delta) {
        byte[] n = nonce.clone();
        n[11] += (byte) delta;
        return n;
    }
}
