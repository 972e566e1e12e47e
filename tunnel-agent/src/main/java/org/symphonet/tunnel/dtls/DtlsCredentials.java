package org.symphonet.tunnel.dtls;

import java.io.IOException;
import java.security.SecureRandom;

import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;

/**
 * The node certificate in Bouncy Castle's terms, with a {@link JcaTlsCrypto} over
 * the JDK providers (several times faster than BC's pure-Java engines), whose
 * record cipher is libcrypto's AES-GCM or the JDK's ({@link RecordCipher}).
 */
public final class DtlsCredentials {
    static final SignatureAndHashAlgorithm ECDSA_SHA256 =
            SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa);

    private final NodeCertificate node;
    private final TunnelTlsCrypto crypto;
    private final Certificate chain;

    public DtlsCredentials(NodeCertificate node) {
        this.node = node;
        this.crypto = new TunnelTlsCrypto(new SecureRandom());
        try {
            TlsCertificate cert = crypto.createCertificate(node.certificateDer());
            this.chain = new Certificate(new TlsCertificate[] {cert});
        } catch (IOException e) {
            throw new IllegalStateException("node certificate unreadable by the TLS stack", e);
        }
    }

    public JcaTlsCrypto crypto() {
        return crypto;
    }

    /** Collects the native record ciphers a handshake on this thread creates (see {@link TunnelTlsCrypto}). */
    TunnelTlsCrypto.Captured captureCiphers() {
        return crypto.captureCiphers();
    }

    public NodeCertificate node() {
        return node;
    }

    TlsCredentialedSigner signer(TlsContext context) {
        return new JcaDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto,
                node.privateKey(), chain, ECDSA_SHA256);
    }
}
