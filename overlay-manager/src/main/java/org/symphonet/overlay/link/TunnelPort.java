package org.symphonet.overlay.link;

import java.io.IOException;

import org.symphonet.ofcontroller.view.NodeId;
import org.symphonet.overlay.identity.Fingerprint;
import org.symphonet.overlay.signal.IceParams;

/** What the link manager needs from the tunnel agent, for one overlay. */
public interface TunnelPort {

    /** This node's certificate fingerprint, sent in every request and accept. */
    Fingerprint localFingerprint();

    /** Creates a tunnel to {@code peer} and gathers its candidates (may block for the STUN/TURN timeouts). */
    Handle open(NodeId peer) throws IOException;


    /** One tunnel in the making or running. */
    interface Handle {
        IceParams localParameters();

        /** Starts ICE checks and DTLS; the outcome arrives as a tunnel event. */
        void connect(Fingerprint peerFingerprint, IceParams remote);

        /**
         * Checks quickly whether the peer still answers; a tunnel whose peer is gone reports itself
         * down. For tunnels that cannot be checked, nothing happens (the dead interval decides).
         */
        default void checkAlive(java.time.Duration window) {
        }

        /** Tears it down (TAP and OVS port too); idempotent. */
        void close();
    }
}
