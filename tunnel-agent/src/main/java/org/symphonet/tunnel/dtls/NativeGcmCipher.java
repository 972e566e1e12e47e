package org.symphonet.tunnel.dtls;

import static org.symphonet.tunnel.dtls.LibCrypto.EVP_CIPHER_CTX_ctrl;
import static org.symphonet.tunnel.dtls.LibCrypto.EVP_CipherFinal_ex;
import static org.symphonet.tunnel.dtls.LibCrypto.EVP_CipherInit_ex;
import static org.symphonet.tunnel.dtls.LibCrypto.EVP_CipherUpdate;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

import org.bouncycastle.tls.crypto.impl.TlsAEADCipherImpl;

/**
 * AES-GCM for one direction of one DTLS session in OpenSSL's libcrypto (AES-NI and
 * PCLMUL assembly), the same contract as {@link GcmCipher}. Why: nodes run a C1-only
 * JVM, and C1 has no AES/GHASH intrinsics, so the JDK cipher costs ~59 us per
 * 1,400-byte record there against ~0.75 us with C2; native code does not care which
 * JIT runs the caller.
 *
 * <p>One {@code EVP_CIPHER_CTX} per instance, keyed once; a record sets its nonce,
 * then runs AAD, data, final and tag through it. The record is copied once into a
 * native buffer, ciphered in place, and copied back: no allocation per record.
 * {@link #close} frees the context (which wipes the key schedule) and the buffers;
 * a cipher that is never closed is freed once unreachable.
 *
 * <p>Tag failure throws a runtime exception, which Bouncy Castle turns into
 * {@code bad_record_mac}: the record layer drops the record, as with the JDK cipher.
 * Methods are synchronized only so that {@link #close} (on teardown, or from the
 * receive thread on a peer's close_notify) never frees the context under a record
 * in flight; BC already uses one instance per direction from one thread at a time.
 */
final class NativeGcmCipher implements TlsAEADCipherImpl, AutoCloseable {
    /** Records on a tunnel are at most a path MTU; larger ones (up to 16 KB + tag) grow the buffer once. */
    private static final int INITIAL_BUFFER = 2048;
    private static final int MAX_NONCE = 64;
    private static final int MAX_KEY = 32;
    private static final int MAX_TAG = 16;
    private static final int MAX_AAD = 1024;
    /** Scratch layout: an int out-length, the key (only while keying), the nonce, the AAD. */
    private static final int OUTL = 0;
    private static final int KEY = 8;
    private static final int NONCE = KEY + MAX_KEY;
    private static final int AAD = NONCE + MAX_NONCE;
    private static final int SCRATCH = AAD + MAX_AAD;

    private final int enc;
    private final Resources res;
    private final com.sun.jna.internal.Cleaner.Cleanable cleanable;
    private boolean keyed;
    private int ivLength = 12;
    private int macSize = 16;

    /** The native parts, apart from the cipher object so that the cleaner can free them without it. */
    private static final class Resources implements Runnable {
        long ctx;
        final Memory scratch = new Memory(SCRATCH);
        /** Replaced (rarely) by the record thread; read by the cleaner thread. */
        volatile Memory buffer = new Memory(INITIAL_BUFFER);

        @Override
        public synchronized void run() {
            if (ctx != 0) {
                LibCrypto.EVP_CIPHER_CTX_free(ctx);
                ctx = 0;
            }
            scratch.clear();
            scratch.close();
            buffer.clear();
            buffer.close();
        }
    }

    /** Only after {@link LibCrypto#load} succeeded. */
    NativeGcmCipher(boolean encrypting) {
        this.enc = encrypting ? 1 : 0;
        this.res = new Resources();
        res.ctx = LibCrypto.EVP_CIPHER_CTX_new();
        if (res.ctx == 0) {
            res.run();
            throw new IllegalStateException("EVP_CIPHER_CTX_new failed");
        }
        // JNA's cleaner thread (already running for JNA's own Memory): no thread of our own.
        this.cleanable = com.sun.jna.internal.Cleaner.getCleaner().register(this, res);
    }

    @Override
    public synchronized void setKey(byte[] keyBytes, int keyOff, int keyLen) {
        long ctx = ctx();
        long type = switch (keyLen) {
            case 16 -> LibCrypto.EVP_aes_128_gcm();
            case 24 -> LibCrypto.EVP_aes_192_gcm();
            case 32 -> LibCrypto.EVP_aes_256_gcm();
            default -> throw new IllegalArgumentException("AES key of " + keyLen + " bytes");
        };
        long scratch = Pointer.nativeValue(res.scratch);
        res.scratch.write(KEY, keyBytes, keyOff, keyLen);
        try {
            check(EVP_CipherInit_ex(ctx, type, 0, 0, 0, enc), "EVP_CipherInit_ex(type)");
            if (ivLength != 12) {
                check(EVP_CIPHER_CTX_ctrl(ctx, LibCrypto.EVP_CTRL_GCM_SET_IVLEN, ivLength, 0), "SET_IVLEN");
            }
            check(EVP_CipherInit_ex(ctx, 0, 0, scratch + KEY, 0, enc), "EVP_CipherInit_ex(key)");
        } finally {
            res.scratch.setMemory(KEY, MAX_KEY, (byte) 0);
        }
        keyed = true;
    }

    @Override
    public synchronized void init(byte[] nonce, int macSize) {
        long ctx = ctx();
        if (!keyed) {
            throw new IllegalStateException("GCM init before setKey");
        }
        if (nonce.length == 0 || nonce.length > MAX_NONCE || macSize < 4 || macSize > MAX_TAG) {
            throw new IllegalArgumentException("GCM nonce " + nonce.length + " bytes, tag " + macSize);
        }
        if (nonce.length != ivLength) {
            check(EVP_CIPHER_CTX_ctrl(ctx, LibCrypto.EVP_CTRL_GCM_SET_IVLEN, nonce.length, 0), "SET_IVLEN");
            ivLength = nonce.length;
        }
        this.macSize = macSize;
        res.scratch.write(NONCE, nonce, 0, nonce.length);
        check(EVP_CipherInit_ex(ctx, 0, 0, 0, Pointer.nativeValue(res.scratch) + NONCE, enc),
                "EVP_CipherInit_ex(nonce)");
    }

    @Override
    public int getOutputSize(int inputLength) {
        return enc == 1 ? inputLength + macSize : Math.max(0, inputLength - macSize);
    }

    /**
     * Runtime exceptions are the contract here, as in {@link GcmCipher}: BC turns them
     * into a {@code bad_record_mac} alert, which the DTLS record layer drops silently.
     */
    @Override
    public synchronized int doFinal(byte[] additionalData, byte[] input, int inputOffset, int inputLength,
                                    byte[] output, int outputOffset) {
        long ctx = ctx();
        int dataLength = enc == 1 ? inputLength : inputLength - macSize;
        if (dataLength < 0) {
            throw new IllegalStateException("GCM record rejected: shorter than its tag");
        }
        int aadLength = additionalData == null ? 0 : additionalData.length;
        if (aadLength > MAX_AAD) {
            throw new IllegalStateException("GCM additional data of " + aadLength + " bytes");
        }
        Memory buffer = bufferFor(dataLength + macSize);
        long buf = Pointer.nativeValue(buffer);
        long scratch = Pointer.nativeValue(res.scratch);
        long outl = scratch + OUTL;
        // Decrypting, the tag rides behind the ciphertext and is copied along with it.
        buffer.write(0, input, inputOffset, inputLength);
        if (aadLength > 0) {
            res.scratch.write(AAD, additionalData, 0, aadLength);
            check(EVP_CipherUpdate(ctx, 0, outl, scratch + AAD, aadLength), "EVP_CipherUpdate(aad)");
        }
        if (enc == 0) {
            check(EVP_CIPHER_CTX_ctrl(ctx, LibCrypto.EVP_CTRL_GCM_SET_TAG, macSize, buf + dataLength), "SET_TAG");
        }
        if (dataLength > 0) {
            // GCM is a stream mode: Update ciphers all it is given, Final adds nothing (and writes nothing).
            check(EVP_CipherUpdate(ctx, buf, outl, buf, dataLength), "EVP_CipherUpdate");
        }
        if (EVP_CipherFinal_ex(ctx, buf + dataLength, outl) != 1) {
            // Decrypting: the tag did not match (ciphertext, AAD or tag altered). Nothing is copied out.
            throw new IllegalStateException("GCM record rejected");
        }
        if (enc == 1) {
            check(EVP_CIPHER_CTX_ctrl(ctx, LibCrypto.EVP_CTRL_GCM_GET_TAG, macSize, buf + dataLength), "GET_TAG");
            buffer.read(0, output, outputOffset, dataLength + macSize);
            return dataLength + macSize;
        }
        buffer.read(0, output, outputOffset, dataLength);
        return dataLength;
    }

    /** Frees the native context (the key schedule with it) and buffers; later calls throw. */
    @Override
    public synchronized void close() {
        cleanable.clean();
    }

    private long ctx() {
        long ctx = res.ctx;
        if (ctx == 0) {
            throw new IllegalStateException("GCM cipher closed");
        }
        return ctx;
    }

    private Memory bufferFor(int bytes) {
        if (res.buffer.size() < bytes) {
            Memory bigger = new Memory(Math.max(bytes, 2 * res.buffer.size()));
            res.buffer.clear();
            res.buffer.close();
            res.buffer = bigger;
        }
        return res.buffer;
    }

    private static void check(int rc, String call) {
        if (rc != 1) {
            throw new IllegalStateException("libcrypto " + call + " failed");
        }
    }
}
