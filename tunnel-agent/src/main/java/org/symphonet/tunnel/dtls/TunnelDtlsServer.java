package org.symphonet.tunnel.dtls;

import java.io.IOException;
import java.util.Vector;

import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsCredentialedSigner;

/**
 * DTLS server side: the end with the larger node ID. Demands a client certificate
 * (mutual authentication: both ends pin each other) and pins it.
 */
final class TunnelDtlsServer extends DefaultTlsServer {
    private final DtlsCredentials credentials;
    private final FingerprintCheck check;
    private final int handshakeTimeoutMillis;

    TunnelDtlsServer(DtlsCredentials credentials, FingerprintCheck check, int handshakeTimeoutMillis) {
        super(credentials.crypto());
        this.credentials = credentials;
        this.check = check;
        this.handshakeTimeoutMillis = handshakeTimeoutMillis;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return TunnelCipherSuites.VERSIONS;
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return TunnelCipherSuites.suites();
    }

    @Override
    public int getHandshakeTimeoutMillis() {
        return handshakeTimeoutMillis;
    }

    @Override
    public int getHandshakeResendTimeMillis() {
        return DtlsHandshake.FIRST_RESEND_MILLIS;
    }

    @Override
    protected TlsCredentialedSigner getECDSASignerCredentials() {
        return credentials.signer(context);
    }

    @Override
    public CertificateRequest getCertificateRequest() {
        Vector<Object> algorithms = new Vector<>();
        algorithms.add(DtlsCredentials.ECDSA_SHA256);
        return new CertificateRequest(new short[] {ClientCertificateType.ecdsa_sign}, algorithms, null);
    }

    @Override
    public void notifyClientCertificate(Certificate clientCertificate) throws IOException {
        check.verify(clientCertificate);
    }
}
