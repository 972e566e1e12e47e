package org.symphonet.tunnel.dtls;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * The few EVP calls of OpenSSL's libcrypto that {@link NativeGcmCipher} needs, JNA
 * direct-mapped. Pointers travel as {@code long} addresses so that a record's calls
 * build no {@link Pointer} objects (offsets into the native buffers vary per record);
 * that needs a 64-bit JVM, which {@link #load} checks.
 *
 * <p>Nothing is registered until {@link #load} succeeds: a node without libcrypto
 * must still start (the JDK cipher takes over), so this class has no static
 * initializer that could fail.
 */
final class LibCrypto {
    /** Debian 12's libssl3 ships only the versioned name; the bare name comes with libssl-dev. */
    private static final String[] NAMES = {"libcrypto.so.3", "crypto"};

    static final int EVP_CTRL_GCM_SET_IVLEN = 0x9;
    static final int EVP_CTRL_GCM_GET_TAG = 0x10;
    static final int EVP_CTRL_GCM_SET_TAG = 0x11;
    /** The whole 12-byte nonce with length -1; its last 8 bytes then count up, one per TLS-mode record. */
    static final int EVP_CTRL_AEAD_SET_IV_FIXED = 0x12;
    /** A TLS record's 13-byte additional data: the next {@link #EVP_Cipher} seals or opens that record. */
    static final int EVP_CTRL_AEAD_TLS1_AAD = 0x16;
    static final int OPENSSL_VERSION = 0;

    private LibCrypto() {
    }

    /** Registers the natives below once per JVM; the holder's initializer runs at most once. */
    private static final class Registration {
        /** The library the natives below are bound to, or null with {@link #RESULT} saying why. */
        static final NativeLibrary LIBRARY;
        static final String RESULT;

        static {
            NativeLibrary library = null;
            String failure;
            if (Native.POINTER_SIZE != 8) {
                failure = "needs a 64-bit JVM (pointers are passed as long)";
            } else {
                StringBuilder why = new StringBuilder();
                for (String name : NAMES) {
                    try {
                        NativeLibrary candidate = NativeLibrary.getInstance(name);
                        Native.register(LibCrypto.class, candidate);
                        library = candidate;
                        break;
                    } catch (UnsatisfiedLinkError | IllegalArgumentException e) {
                        why.append(why.length() == 0 ? "" : "; ").append(name).append(": ").append(e.getMessage());
                    }
                }
                failure = library == null ? why.toString() : null;
            }
            LIBRARY = library;
            RESULT = failure;
        }
    }

    /**
     * Address of one of the library's functions (for a caller outside JNA: {@code NativeIo}); only
     * after {@link #load} returned null.
     */
    static long address(String function) {
        return Pointer.nativeValue(Registration.LIBRARY.getFunction(function));
    }

    /**
     * Loads libcrypto and binds the calls below. Returns null when they are usable,
     * else why not (no library, a missing symbol, a 32-bit JVM).
     */
    static String load() {
        try {
            return Registration.RESULT;
        } catch (LinkageError e) {
            return "JNA unusable: " + e;
        }
    }

    /** "OpenSSL 3.0.x ..." of the loaded library; only after {@link #load} returned null. */
    static String version() {
        long p = OpenSSL_version(OPENSSL_VERSION);
        return p == 0 ? "OpenSSL (unknown version)" : new Pointer(p).getString(0);
    }

    static native long OpenSSL_version(int type);

    static native long EVP_CIPHER_CTX_new();

    static native void EVP_CIPHER_CTX_free(long ctx);

    static native long EVP_aes_128_gcm();

    static native long EVP_aes_192_gcm();

    static native long EVP_aes_256_gcm();

    static native int EVP_CipherInit_ex(long ctx, long cipher, long engine, long key, long iv, int enc);

    static native int EVP_CIPHER_CTX_ctrl(long ctx, int type, int arg, long ptr);

    static native int EVP_CipherUpdate(long ctx, long out, long outLength, long in, int inLength);

    static native int EVP_CipherFinal_ex(long ctx, long out, long outLength);

    /** In TLS mode: a whole record (explicit nonce, data, tag) in place; its output length, or -1. */
    static native int EVP_Cipher(long ctx, long out, long in, int inLength);
}
