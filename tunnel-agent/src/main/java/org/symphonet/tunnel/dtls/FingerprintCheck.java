package org.symphonet.tunnel.dtls;

import java.io.IOException;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.TlsFatalAlert;
import org.symphonet.tunnel.Fingerprint;

/**
 * Pins the peer's certificate to the fingerprint received over the authenticated
 * signaling channel (DESIGN.md §2). There is no CA: this check is the whole trust
 * decision, so it is strict — exactly one certificate, exactly that fingerprint.
 */
public final class FingerprintCheck {
    private final Fingerprint expected;
    private volatile Fingerprint mismatch;

    public FingerprintCheck(Fingerprint expected) {
        this.expected = expected;
    }

    /** Throws a fatal {@code bad_certificate} alert unless the chain is the pinned one. */
    public void verify(Certificate chain) throws IOException {
        if (chain == null || chain.getLength() != 1) {
            throw new TlsFatalAlert(AlertDescription.bad_certificate,
                    "expected exactly one certificate, got " + (chain == null ? 0 : chain.getLength()));
        }
        Fingerprint actual = Fingerprint.ofCertificate(chain.getCertificateAt(0).getEncoded());
        if (!actual.matches(expected)) {
            mismatch = actual;
            throw new TlsFatalAlert(AlertDescription.bad_certificate,
                    "certificate fingerprint " + actual + " is not the signaled " + expected);
        }
    }

    /** The fingerprint that failed the check, or null if none did. */
    public Fingerprint mismatch() {
        return mismatch;
    }

    public Fingerprint expected() {
        return expected;
    }
}
