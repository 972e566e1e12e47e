package org.symphonet.ofcontroller.discovery;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import org.symphonet.ofcontroller.view.NodeId;

/**
 * The node ID of a discovered switch: the first 128 bits of SHA-256 over a fixed label and its
 * datapath ID. The same switch gets the same ID after any restart, and IDs of switches with
 * neighbouring datapath IDs (s1, s2, ...) still spread evenly over the ring.
 */
public final class DatapathNodeId {

    private static final byte[] LABEL = "symphonet fabric node\0".getBytes(StandardCharsets.US_ASCII);

    private DatapathNodeId() {
    }

    public static NodeId of(long datapathId) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(LABEL);
            sha.update(ByteBuffer.allocate(8).putLong(datapathId).array());
            return NodeId.fromBytes(sha.digest(), 0);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
