package org.symphonet.tunnel.dtls;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;

import org.bouncycastle.jcajce.util.DefaultJcaJceHelper;
import org.bouncycastle.tls.crypto.impl.TlsAEADCipherImpl;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;

/**
 * {@link JcaTlsCrypto} over the JDK providers, with the per-record AES-GCM path
 * replaced by {@link GcmCipher} (the extension point BC documents for this). The
 * handshake (ECDHE, ECDSA, PRF) is BC's JCA code, unchanged.
 */
final class TunnelTlsCrypto extends JcaTlsCrypto {

    TunnelTlsCrypto(SecureRandom random) {
        super(new DefaultJcaJceHelper(), random, random);
    }

    @Override
    protected TlsAEADCipherImpl createAEADCipher(String cipherName, String algorithm, int keySize,
                                                 boolean isEncrypting) throws GeneralSecurityException {
        if ("AES/GCM/NoPadding".equals(cipherName)) {
            return new GcmCipher(isEncrypting);
        }
        return super.createAEADCipher(cipherName, algorithm, keySize, isEncrypting);
    }
}
