package org.symphonet.tunnel.dtls;

import java.security.GeneralSecurityException;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.bouncycastle.tls.crypto.impl.TlsAEADCipherImpl;

/**
 * AES-GCM for one direction of one DTLS session, straight on a JDK {@link Cipher}
 * (AES-NI and CLMUL intrinsics). Bouncy Castle's stock JCE adapter looks up an
 * {@code AlgorithmParameters} provider service and builds its ASN.1 encoding for
 * every record; here a record costs one {@link GCMParameterSpec} and the cipher
 * work itself. Bouncy Castle's own framing, nonces and checks are unchanged.
 *
 * <p>Not thread-safe, like every {@code TlsAEADCipherImpl}: BC uses one per
 * direction and serializes each.
 */
final class GcmCipher implements TlsAEADCipherImpl {
    private final Cipher cipher;
    private final int mode;
    private SecretKeySpec key;

    GcmCipher(boolean encrypting) throws GeneralSecurityException {
        this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
        this.mode = encrypting ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE;
    }

    @Override
    public void setKey(byte[] keyBytes, int keyOff, int keyLen) {
        this.key = new SecretKeySpec(keyBytes, keyOff, keyLen, "AES");
    }

    @Override
    public void init(byte[] nonce, int macSize) {
        try {
            cipher.init(mode, key, new GCMParameterSpec(macSize * 8, nonce));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("GCM init failed", e);
        }
    }

    @Override
    public int getOutputSize(int inputLength) {
        return cipher.getOutputSize(inputLength);
    }

    /**
     * Runtime exceptions are the contract here: BC turns them into a
     * {@code bad_record_mac} alert, which the DTLS record layer drops silently.
     */
    @Override
    public int doFinal(byte[] additionalData, byte[] input, int inputOffset, int inputLength, byte[] output,
                       int outputOffset) {
        try {
            if (additionalData != null && additionalData.length > 0) {
                cipher.updateAAD(additionalData);
            }
            return cipher.doFinal(input, inputOffset, inputLength, output, outputOffset);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("GCM record rejected", e);
        }
    }
}
