package org.symphonet.tunnel.dtls;

import java.io.IOException;

import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsServerCertificate;

/** DTLS client side: the end with the smaller node ID. Presents the node certificate, pins the server's. */
final class TunnelDtlsClient extends DefaultTlsClient {
    private final DtlsCredentials credentials;
    private final FingerprintCheck check;
    private final int handshakeTimeoutMillis;

    TunnelDtlsClient(DtlsCredentials credentials, FingerprintCheck check, int handshakeTimeoutMillis) {
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
    public TlsAuthentication getAuthentication() {
        return new TlsAuthentication() {
            @Override
            public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                check.verify(serverCertificate.getCertificate());
            }

            @Override
            public TlsCredentials getClientCredentials(CertificateRequest request) {
                return credentials.signer(context);
            }
        };
    }
}
