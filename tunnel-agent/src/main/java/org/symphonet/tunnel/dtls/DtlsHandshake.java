package org.symphonet.tunnel.dtls;

import java.io.IOException;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsFatalAlertReceived;
import org.bouncycastle.tls.TlsTimeoutException;
import org.symphonet.tunnel.DownReason;
import org.symphonet.tunnel.Fingerprint;

/**
 * Runs one DTLS 1.2 handshake in the role the node IDs assign, with both
 * certificates pinned, and turns every failure into a {@link HandshakeException}
 * whose reason the manager can act on.
 */
public final class DtlsHandshake {
    /**
     * First retransmission of an unanswered flight (then doubling, BouncyCastle's 1 s by default).
     * The client's first flight often arrives while the far end is still finishing its ICE checks,
     * which drop what is not STUN; with 1 s doubling, two or three such losses kept a link's
     * handshake waiting 3-7 s while nodes started together (issue 16). A flight is a few small
     * datagrams, so resending sooner costs little.
     */
    static final int FIRST_RESEND_MILLIS = 200;

    private final DtlsCredentials credentials;
    private final int timeoutMillis;

    public DtlsHandshake(DtlsCredentials credentials, int timeoutMillis) {
        this.credentials = credentials;
        this.timeoutMillis = timeoutMillis;
    }

    /**
     * The session's native record ciphers are freed when {@code transport} closes (the
     * session's teardown, or the peer's close_notify), or here if the handshake fails.
     */
    public DTLSTransport run(boolean client, Fingerprint peer, RecordTransport transport)
            throws HandshakeException {
        FingerprintCheck check = new FingerprintCheck(peer);
        TunnelTlsCrypto.Captured ciphers = credentials.captureCiphers();
        transport.onClose(ciphers::release);
        try (ciphers) {
            DTLSTransport established;
            if (client) {
                established = new DTLSClientProtocol().connect(
                        new TunnelDtlsClient(credentials, check, timeoutMillis), transport);
            } else {
                // Cookie exchange (HelloVerifyRequest) stays on: a flood of spoofed
                // ClientHellos then costs us no key exchange work.
                DTLSServerProtocol server = new DTLSServerProtocol();
                server.setVerifyRequests(true);
                established = server.accept(new TunnelDtlsServer(credentials, check, timeoutMillis), transport);
            }
            transport.sessionKeys(ciphers.keys());
            return established;
        } catch (IOException | RuntimeException e) {
            ciphers.release();
            throw classify(check, e);
        }
    }

    static HandshakeException classify(FingerprintCheck check, Exception e) {
        if (check.mismatch() != null) {
            return new HandshakeException(DownReason.FINGERPRINT_MISMATCH,
                    "peer certificate " + check.mismatch() + " does not match signaled fingerprint "
                            + check.expected(), e);
        }
        if (e instanceof TlsFatalAlert alert && alert.getAlertDescription() == AlertDescription.bad_certificate) {
            return new HandshakeException(DownReason.FINGERPRINT_MISMATCH, "peer certificate refused: "
                    + e.getMessage(), e);
        }
        if (e instanceof TlsFatalAlertReceived received) {
            String what = AlertDescription.getText(received.getAlertDescription());
            DownReason reason = received.getAlertDescription() == AlertDescription.bad_certificate
                    ? DownReason.FINGERPRINT_MISMATCH : DownReason.HANDSHAKE_FAILED;
            return new HandshakeException(reason, "peer aborted the handshake: " + what
                    + (reason == DownReason.FINGERPRINT_MISMATCH ? " (it does not accept our certificate)" : ""), e);
        }
        if (e instanceof TlsTimeoutException) {
            return new HandshakeException(DownReason.HANDSHAKE_FAILED, "handshake timed out", e);
        }
        return new HandshakeException(DownReason.HANDSHAKE_FAILED, "handshake failed: " + e, e);
    }
}
