package org.symphonet.tunnel.dtls;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

import org.symphonet.tunnel.io.NativeIo;

/**
 * {@link RecordAead} in libcrypto's TLS record mode, the one libssl itself runs TLS 1.2 GCM
 * records through: per record one call sets the 13-byte additional data, one {@code EVP_Cipher}
 * seals or opens the whole record in place (nonce, data, tag). Two native calls where the
 * general EVP sequence of {@link NativeGcmCipher} takes five; the copies in and out of native
 * memory go through a direct buffer (plain memory copies, not JNI calls).
 *
 * <p>Sealing, the whole 12-byte nonce (salt, then the record's epoch and sequence number) is set
 * per record in the same native call, and libcrypto writes its last 8 bytes as the explicit
 * nonce: no nonce repeats under a key as long as sequence numbers do not, whichever sealer took
 * them ({@link LoneHop} seals with a context of its own). Methods are synchronized only so that
 * {@link #close} (teardown, maybe on another thread) never frees the context under a record in
 * flight.
 */
final class NativeRecordAead implements RecordAead {
    /** Records on a tunnel are at most a path MTU; a larger one grows the buffer once. */
    private static final int INITIAL_BUFFER = 2048;
    /** Additional data at the start of the native memory, the sealing nonce behind it, then the record. */
    private static final int AAD_AREA = 16;
    private static final int NONCE_AT = AAD_AREA;
    private static final int BUFFER_AT = NONCE_AT + 16;

    private long ctx;
    private Memory memory;
    private ByteBuffer view;
    private long aadAddress;
    private long nonceAddress;
    private long bufAddress;
    private final byte[] salt;
    private final byte[] aad = new byte[HEADER];
    /** libcrypto's two per-record functions, for one JNI call per record ({@link NativeIo#tlsRecord}). */
    private final long ctrlFunction;
    private final long cipherFunction;

    NativeRecordAead(boolean sealing, byte[] key, byte[] salt) {
        String failure = LibCrypto.load();
        if (failure != null) {
            throw new IllegalStateException("libcrypto unusable: " + failure);
        }
        this.salt = salt.clone();
        allocate(INITIAL_BUFFER);
        ctrlFunction = NativeIo.LOADED ? LibCrypto.address("EVP_CIPHER_CTX_ctrl") : 0;
        cipherFunction = NativeIo.LOADED ? LibCrypto.address("EVP_Cipher") : 0;
        ctx = LibCrypto.EVP_CIPHER_CTX_new();
        if (ctx == 0) {
            throw new IllegalStateException("EVP_CIPHER_CTX_new failed");
        }
        int enc = sealing ? 1 : 0;
        long type = switch (key.length) {
            case 16 -> LibCrypto.EVP_aes_128_gcm();
            case 32 -> LibCrypto.EVP_aes_256_gcm();
            default -> throw new IllegalArgumentException("AES key of " + key.length + " bytes");
        };
        try {
            check(LibCrypto.EVP_CipherInit_ex(ctx, type, 0, 0, 0, enc), "EVP_CipherInit_ex(type)");
            view.put(BUFFER_AT, key);
            check(LibCrypto.EVP_CipherInit_ex(ctx, 0, 0, bufAddress, 0, enc), "EVP_CipherInit_ex(key)");
            view.put(BUFFER_AT, new byte[key.length]);
            if (!sealing) {
                // Opening, the explicit part comes with each record.
                check(LibCrypto.EVP_CIPHER_CTX_ctrl(ctx, LibCrypto.EVP_CTRL_AEAD_SET_IV_FIXED, SessionKeys.SALT,
                        nonceAddress), "SET_IV_FIXED");
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    @Override
    public synchronized void seal(byte[] rec, int off, int plainLength) {
        int body = EXPLICIT_NONCE + plainLength + TAG;
        ensure(body);
        // TLS mode: the length in the additional data counts the explicit nonce, not the tag.
        RecordAead.additionalData(rec, off, EXPLICIT_NONCE + plainLength, aad);
        view.put(0, aad);
        // The nonce: salt (written once), then the record's epoch and sequence number.
        view.put(NONCE_AT + SessionKeys.SALT, rec, off + 3, EXPLICIT_NONCE);
        view.put(BUFFER_AT + EXPLICIT_NONCE, rec, off + HEADER + EXPLICIT_NONCE, plainLength);
        if (sealRecord(ctx(), body) != body) {
            throw new IllegalStateException("libcrypto GCM seal failed");
        }
        view.get(BUFFER_AT, rec, off + HEADER, body);
    }

    @Override
    public synchronized boolean open(byte[] rec, int off, int recLength) {
        int body = recLength - HEADER;
        int plainLength = body - EXPLICIT_NONCE - TAG;
        if (plainLength < 0 || ctx == 0) {
            // Closed on teardown while the receiving thread was still at work: nothing to open.
            return false;
        }
        ensure(body);
        // Opening, the length is the record's (explicit nonce, ciphertext and tag); libcrypto subtracts.
        RecordAead.additionalData(rec, off, body, aad);
        view.put(0, aad);
        view.put(BUFFER_AT, rec, off + HEADER, body);
        // -1 and the output cleared when the tag does not match; else the input length (OpenSSL 3's
        // provider reports that, not the plaintext's).
        if (record(ctx, body) != body) {
            return false;
        }
        view.get(BUFFER_AT + EXPLICIT_NONCE, rec, off + HEADER + EXPLICIT_NONCE, plainLength);
        return true;
    }

    /** As {@link #record}, the whole nonce (at {@code nonceAddress}) set first. */
    private int sealRecord(long context, int body) {
        if (NativeIo.LOADED) {
            return NativeIo.tlsSeal(ctrlFunction, cipherFunction, context, nonceAddress, aadAddress, bufAddress, body);
        }
        // Length -1: the whole nonce is given (no invocation field of libcrypto's own).
        if (LibCrypto.EVP_CIPHER_CTX_ctrl(context, LibCrypto.EVP_CTRL_AEAD_SET_IV_FIXED, -1, nonceAddress) <= 0) {
            return -1;
        }
        return record(context, body);
    }

    /** For {@link LoneHop}, which runs this context's records in its own native call. */
    synchronized long context() {
        return ctx();
    }

    long ctrlFunction() {
        return ctrlFunction;
    }

    long cipherFunction() {
        return cipherFunction;
    }

    byte[] salt() {
        return salt.clone();
    }

    /**
     * The record's additional data (already at {@code aadAddress}) to libcrypto, then the record
     * sealed or opened in place: EVP_Cipher's result, or -1 when the first step failed.
     */
    private int record(long context, int body) {
        if (NativeIo.LOADED) {
            return NativeIo.tlsRecord(ctrlFunction, cipherFunction, context, aadAddress, bufAddress, body);
        }
        if (LibCrypto.EVP_CIPHER_CTX_ctrl(context, LibCrypto.EVP_CTRL_AEAD_TLS1_AAD, HEADER, aadAddress) <= 0) {
            return -1;
        }
        return LibCrypto.EVP_Cipher(context, bufAddress, bufAddress, body);
    }

    @Override
    public synchronized void close() {
        if (ctx != 0) {
            LibCrypto.EVP_CIPHER_CTX_free(ctx);
            ctx = 0;
        }
        if (memory != null) {
            memory.clear();
            memory.close();
            memory = null;
        }
    }

    private long ctx() {
        if (ctx == 0) {
            throw new IllegalStateException("GCM record cipher closed");
        }
        return ctx;
    }

    private void ensure(int body) {
        if (BUFFER_AT + body > memory.size()) {
            int bigger = Math.max(body, 2 * (int) memory.size());
            memory.clear();
            memory.close();
            allocate(bigger);
        }
    }

    private void allocate(int bufferBytes) {
        memory = new Memory(BUFFER_AT + bufferBytes);
        view = memory.getByteBuffer(0, memory.size()).order(ByteOrder.BIG_ENDIAN);
        aadAddress = Pointer.nativeValue(memory);
        nonceAddress = aadAddress + NONCE_AT;
        bufAddress = aadAddress + BUFFER_AT;
        view.put(NONCE_AT, salt, 0, SessionKeys.SALT);
    }

    private static void check(int rc, String call) {
        if (rc != 1) {
            throw new IllegalStateException("libcrypto " + call + " failed");
        }
    }
}
