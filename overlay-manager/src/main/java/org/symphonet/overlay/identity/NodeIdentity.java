package org.symphonet.overlay.identity;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Objects;

import org.symphonet.ofcontroller.view.NodeId;

/**
 * Who this node is: its ring position and the key pair its tunnels authenticate with.
 * The private key never leaves this object except toward the DTLS stack.
 */
public record NodeIdentity(NodeId nodeId, X509Certificate certificate, PrivateKey privateKey, Fingerprint fingerprint) {

    public NodeIdentity {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(fingerprint, "fingerprint");
    }

    public NodeIdentity(NodeId nodeId, X509Certificate certificate, PrivateKey privateKey) {
        this(nodeId, certificate, privateKey, Fingerprint.of(certificate));
    }

    @Override
    public String toString() {
        return "NodeIdentity[" + nodeId + ", " + fingerprint + "]";
    }
}
