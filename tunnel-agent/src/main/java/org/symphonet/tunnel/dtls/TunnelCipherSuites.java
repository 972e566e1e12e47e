package org.symphonet.tunnel.dtls;

import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ProtocolVersion;

/** The single protocol and suite both ends offer: no negotiation surface beyond it. */
final class TunnelCipherSuites {
    static final ProtocolVersion[] VERSIONS = ProtocolVersion.DTLSv12.only();

    private TunnelCipherSuites() {
    }

    /** A new array per call: BC may keep and mutate what it is given. */
    static int[] suites() {
        return new int[] {CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256};
    }
}
