package org.symphonet.tunnel.dtls;

import java.security.GeneralSecurityException;

/**
 * AES-GCM of whole DTLS 1.2 application-data records for {@link DataRecords}, in place in one
 * buffer, as RFC 5288 (and Bouncy Castle) frame them: a 13-byte header, an 8-byte explicit nonce,
 * the ciphertext, a 16-byte tag. The nonce is the session's 4-byte salt followed by the explicit
 * part; the additional data is epoch and sequence number, type, version and plaintext length.
 * One instance per direction, used by one thread at a time.
 */
interface RecordAead extends AutoCloseable {
    int HEADER = 13;
    int EXPLICIT_NONCE = 8;
    int TAG = 16;
    /** Bytes a record adds to its plaintext. */
    int OVERHEAD = HEADER + EXPLICIT_NONCE + TAG;

    /**
     * Seals the record at {@code rec[off]}: its header is written (length field included) and
     * its plaintext sits at {@code off + HEADER + EXPLICIT_NONCE}; writes the explicit nonce, the
     * ciphertext over the plaintext, and the tag behind it. The explicit nonce is the header's
     * epoch and sequence number: unique per record under a key as long as sequence numbers are,
     * whichever sealer took them (the Java path's and the lone-frame hop's share one count,
     * {@link LoneHop}); gaps in it are harmless.
     */
    void seal(byte[] rec, int off, int plainLength);

    /**
     * Opens the record of {@code recLength} bytes (header included) at {@code rec[off]} in place.
     * True if it is authentic (its plaintext then at {@code off + HEADER + EXPLICIT_NONCE}, {@code
     * recLength - OVERHEAD} bytes); false if not, with nothing of it to be used.
     */
    boolean open(byte[] rec, int off, int recLength);

    /** Frees what the cipher holds outside the heap; later calls throw. */
    @Override
    void close();

    /**
     * The ciphers of one direction pair, on libcrypto or the JDK as {@link RecordCipher} chose
     * for this JVM.
     */
    static RecordAead[] create(RecordCipher kind, SessionKeys keys) throws GeneralSecurityException {
        if (kind == RecordCipher.LIBCRYPTO) {
            NativeRecordAead seal = new NativeRecordAead(true, keys.writeKey(), keys.writeSalt());
            try {
                return new RecordAead[] {seal, new NativeRecordAead(false, keys.readKey(), keys.readSalt())};
            } catch (RuntimeException e) {
                seal.close();
                throw e;
            }
        }
        return new RecordAead[] {new JceRecordAead(true, keys.writeKey(), keys.writeSalt()),
                new JceRecordAead(false, keys.readKey(), keys.readSalt())};
    }

    /** The 13 bytes of additional data of the record at {@code rec[off]} with this plaintext length. */
    static void additionalData(byte[] rec, int off, int plainLength, byte[] aad) {
        // Epoch and sequence number (8 bytes), then type and version (3).
        System.arraycopy(rec, off + 3, aad, 0, 8);
        aad[8] = rec[off];
        aad[9] = rec[off + 1];
        aad[10] = rec[off + 2];
        aad[11] = (byte) (plainLength >>> 8);
        aad[12] = (byte) plainLength;
    }
}
