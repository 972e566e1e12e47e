package org.symphonet.tunnel.dtls;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.bouncycastle.tls.crypto.impl.TlsAEADCipherImpl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which AES-GCM implementation carries the tunnel's records: OpenSSL's libcrypto
 * ({@link NativeGcmCipher}) or the JDK ({@link GcmCipher}). Nodes run C1 only, which
 * has no AES/GHASH intrinsics: there the JDK cipher costs ~80 times what libcrypto
 * does per record. Chosen once per JVM by the system property {@value #PROPERTY}:
 * <ul>
 *   <li>{@code auto} (default): the JDK cipher when this JVM's JIT has AES and GHASH
 *       intrinsics (C2: ~1.3 us per 1,400-byte record pair, where libcrypto's ~2.7 us is
 *       mostly JNA's call overhead); otherwise libcrypto if it loads and passes a
 *       known-answer test, else the JDK cipher with one warning line;</li>
 *   <li>{@code libcrypto}: libcrypto or the agent does not start;</li>
 *   <li>{@code jce}: the JDK cipher.</li>
 * </ul>
 */
enum RecordCipher {
    JCE, LIBCRYPTO;

    static final String PROPERTY = "symphonet.tunnel.cipher";
    private static final Logger LOG = LoggerFactory.getLogger(RecordCipher.class);

    /** The JVM-wide choice, made (and logged) on first use: the agent's start. */
    private static final class Chosen {
        static final RecordCipher VALUE = choose(System.getProperty(PROPERTY), RecordCipher::jitHasAesIntrinsics,
                RecordCipher::probeLibCrypto, LOG);
    }

    static RecordCipher configured() {
        return Chosen.VALUE;
    }

    TlsAEADCipherImpl create(boolean encrypting) throws GeneralSecurityException {
        return this == LIBCRYPTO ? new NativeGcmCipher(encrypting) : new GcmCipher(encrypting);
    }

    /**
     * The decision, apart from the JVM's state so tests can drive it. {@code probe}
     * returns null when libcrypto works, else why not; it runs only when needed.
     */
    static RecordCipher choose(String setting, BooleanSupplier fastJdkAes, Supplier<String> probe, Logger log) {
        String mode = setting == null || setting.isBlank() ? "auto" : setting.trim().toLowerCase(Locale.ROOT);
        switch (mode) {
            case "jce" -> {
                log.info("tunnel record cipher: JDK AES-GCM ({}=jce)", PROPERTY);
                return JCE;
            }
            case "libcrypto", "auto" -> {
                if (mode.equals("auto") && fastJdkAes.getAsBoolean()) {
                    log.info("tunnel record cipher: JDK AES-GCM (the JIT has AES/GHASH intrinsics; {}=auto)", PROPERTY);
                    return JCE;
                }
                String failure = probe.get();
                if (failure == null) {
                    log.info("tunnel record cipher: libcrypto AES-GCM ({})", LibCrypto.version());
                    return LIBCRYPTO;
                }
                if (mode.equals("libcrypto")) {
                    throw new IllegalStateException(PROPERTY + "=libcrypto, but libcrypto is unusable: " + failure);
                }
                log.warn("tunnel record cipher: JDK AES-GCM, libcrypto unusable ({}); slow on a C1-only JVM", failure);
                return JCE;
            }
            default -> throw new IllegalArgumentException(
                    PROPERTY + "=" + setting + ": expected auto, libcrypto or jce");
        }
    }

    /**
     * Whether JDK AES-GCM runs on intrinsics here: C2 present (not {@code -XX:TieredStopAtLevel}
     * below 4, not {@code -Xint}) and {@code UseAES} on (AES-NI; the intrinsic flags themselves are
     * diagnostic, not readable here). False when the flags cannot be read, which only costs the
     * faster-under-C2 choice.
     */
    static boolean jitHasAesIntrinsics() {
        try {
            var vm = java.lang.management.ManagementFactory.getPlatformMXBean(
                    com.sun.management.HotSpotDiagnosticMXBean.class);
            return "true".equals(vm.getVMOption("UseCompiler").getValue())
                    && Integer.parseInt(vm.getVMOption("TieredStopAtLevel").getValue()) >= 4
                    && "true".equals(vm.getVMOption("UseAES").getValue());
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** Null when libcrypto loads and computes a known answer (and rejects its forgery), else why not. */
    static String probeLibCrypto() {
        String failure = LibCrypto.load();
        if (failure != null) {
            return failure;
        }
        try {
            return selfTest(new NativeGcmCipher(true), new NativeGcmCipher(false));
        } catch (RuntimeException e) {
            return "self-test failed: " + e;
        }
    }

    /**
     * Test case 4 of the GCM specification (McGrew and Viega; NIST's gcmEncryptExtIV128
     * has it too): encrypts, decrypts, and must refuse a flipped tag bit. Closes both.
     */
    static String selfTest(NativeGcmCipher encrypt, NativeGcmCipher decrypt) {
        try (encrypt; decrypt) {
            HexFormat hex = HexFormat.of();
            byte[] key = hex.parseHex("feffe9928665731c6d6a8f9467308308");
            byte[] nonce = hex.parseHex("cafebabefacedbaddecaf888");
            byte[] aad = hex.parseHex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
            byte[] plain = hex.parseHex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
                    + "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39");
            byte[] sealed = hex.parseHex("42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
                    + "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091"
                    + "5bc94fbc3221a5db94fae95ae7121a47");
            encrypt.setKey(key, 0, key.length);
            decrypt.setKey(key, 0, key.length);
            byte[] out = new byte[sealed.length];
            encrypt.init(nonce, 16);
            encrypt.doFinal(aad, plain, 0, plain.length, out, 0);
            if (!Arrays.equals(out, sealed)) {
                return "self-test: wrong ciphertext or tag";
            }
            byte[] back = new byte[plain.length];
            decrypt.init(nonce, 16);
            decrypt.doFinal(aad, sealed, 0, sealed.length, back, 0);
            if (!Arrays.equals(back, plain)) {
                return "self-test: wrong plaintext";
            }
            sealed[sealed.length - 1] ^= 1;
            try {
                decrypt.init(nonce, 16);
                decrypt.doFinal(aad, sealed, 0, sealed.length, back, 0);
                return "self-test: a forged tag was accepted";
            } catch (IllegalStateException expected) {
                return null;
            }
        }
    }
}
