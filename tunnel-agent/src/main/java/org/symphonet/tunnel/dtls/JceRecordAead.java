package org.symphonet.tunnel.dtls;

import java.security.GeneralSecurityException;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@link RecordAead} on the JDK's AES-GCM: AES-NI and CLMUL intrinsics under C2 (the choice
 * {@link RecordCipher} makes there). Per record: one parameter object and the cipher's own work.
 */
final class JceRecordAead implements RecordAead {
    private final Cipher cipher;
    private final int mode;
    private final SecretKeySpec key;
    private final byte[] nonce = new byte[12];
    private final byte[] aad = new byte[HEADER];

    JceRecordAead(boolean encrypting, byte[] key, byte[] salt) throws GeneralSecurityException {
        this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
        this.mode = encrypting ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE;
        this.key = new SecretKeySpec(key, "AES");
        System.arraycopy(salt, 0, nonce, 0, SessionKeys.SALT);
    }

    @Override
    public void seal(byte[] rec, int off, int plainLength) {
        int at = off + HEADER;
        // The explicit nonce is the record's epoch and sequence number (see RecordAead#seal).
        System.arraycopy(rec, off + 3, rec, at, EXPLICIT_NONCE);
        System.arraycopy(rec, at, nonce, SessionKeys.SALT, EXPLICIT_NONCE);
        RecordAead.additionalData(rec, off, plainLength, aad);
        try {
            cipher.init(mode, key, new GCMParameterSpec(TAG * 8, nonce));
            cipher.updateAAD(aad);
            cipher.doFinal(rec, at + EXPLICIT_NONCE, plainLength, rec, at + EXPLICIT_NONCE);
        } catch (GeneralSecurityException ex) {
            throw new IllegalStateException("GCM seal failed", ex);
        }
    }

    @Override
    public boolean open(byte[] rec, int off, int recLength) {
        int plainLength = recLength - OVERHEAD;
        if (plainLength < 0) {
            return false;
        }
        int at = off + HEADER;
        System.arraycopy(rec, at, nonce, SessionKeys.SALT, EXPLICIT_NONCE);
        RecordAead.additionalData(rec, off, plainLength, aad);
        try {
            cipher.init(mode, key, new GCMParameterSpec(TAG * 8, nonce));
            cipher.updateAAD(aad);
            return cipher.doFinal(rec, at + EXPLICIT_NONCE, plainLength + TAG, rec, at + EXPLICIT_NONCE)
                    == plainLength;
        } catch (AEADBadTagException ex) {
            return false;
        } catch (GeneralSecurityException ex) {
            throw new IllegalStateException("GCM open failed", ex);
        }
    }

    @Override
    public void close() {
        // Nothing outside the heap.
    }
}
