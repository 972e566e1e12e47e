package org.symphonet.tunnel;

/** Why a tunnel never came up or went away; carried by {@link TunnelEvent.Down}. */
public enum DownReason {
    /** The peer presented a certificate whose fingerprint differs from the signaled one. */
    FINGERPRINT_MISMATCH,
    /** The DTLS handshake failed or timed out for another reason (alert, timeout). */
    HANDSHAKE_FAILED,
    /** ICE found no working candidate pair. */
    ICE_FAILED,
    /** Nothing authenticated arrived from the peer for the dead interval. */
    DEAD_INTERVAL,
    /** The peer closed the DTLS session (close_notify or a close message). */
    PEER_CLOSED,
    /** This side closed the tunnel (teardown requested by the manager). */
    CLOSED_LOCALLY,
    /** TAP device or OVS port could not be set up. */
    LOCAL_SETUP_FAILED,
    /** Socket or TAP I/O failed while the tunnel was up. */
    IO_ERROR
}
