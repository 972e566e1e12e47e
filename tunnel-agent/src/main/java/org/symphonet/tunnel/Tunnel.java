package org.symphonet.tunnel;

/**
 * One tunnel being set up or running. Life: {@link TunnelAgent#open} gathers local
 * candidates; the manager sends {@link #localParameters()} to the peer, and calls
 * {@link #connect} with the peer's answer; events report up/down.
 */
public interface Tunnel extends AutoCloseable {

    TunnelId id();

    /** This side's ICE parameters, to be signaled to the peer. */
    IceParameters localParameters();

    /**
     * Starts connectivity checks and the DTLS handshake in the background.
     * The outcome arrives as an {@link TunnelEvent.Up} or {@link TunnelEvent.Down}.
     */
    void connect(Fingerprint peerFingerprint, IceParameters remote);

    TunnelCounters.Snapshot counters();

    /**
     * Checks now, rather than after the dead interval, whether the peer still answers: sends
     * keepalives at short intervals for {@code window} and takes the tunnel down (DEAD_INTERVAL) if
     * nothing authenticated arrived meanwhile. For a peer whose signaling presence just went away:
     * a live peer answers and keeps its tunnel. No-op before the tunnel is up.
     */
    default void checkAlive(java.time.Duration window) {
    }

    /** Tears the tunnel down (TAP and OVS port removed); idempotent. */
    @Override
    void close();
}
