package org.symphonet.overlay.identity;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.symphonet.ofcontroller.view.NodeId;

/**
 * Makes the node's self-signed ECDSA P-256 certificate. Peers pin it by fingerprint, so the
 * validity period only has to outlive the node; nothing checks it against a CA.
 */
public final class SelfSignedCertificates {

    static final Duration VALIDITY = Duration.ofDays(100 * 365);

    private final SecureRandom random;

    public SelfSignedCertificates(SecureRandom random) {
        this.random = random;
    }

    public KeyPair newKeyPair() throws GeneralSecurityException {
        // JDK provider: the tunnel's JcaTlsCrypto signs with the same provider.
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), random);
        return g.generateKeyPair();
    }

    public X509Certificate certify(NodeId nodeId, KeyPair keys, Instant now) throws GeneralSecurityException {
        X500Name name = new X500Name("CN=symphonet-" + nodeId);
        byte[] serialBytes = new byte[16];
        random.nextBytes(serialBytes);
        // One hour back-dating tolerates peers with a slow clock.
        Date notBefore = Date.from(now.minus(Duration.ofHours(1)));
        Date notAfter = Date.from(now.plus(VALIDITY));
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, new BigInteger(1, serialBytes),
                    notBefore, notAfter, name, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate());
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(b.build(signer));
            cert.verify(keys.getPublic());
            return cert;
        } catch (OperatorCreationException | CertIOException e) {
            throw new GeneralSecurityException("cannot build certificate", e);
        }
    }
}
