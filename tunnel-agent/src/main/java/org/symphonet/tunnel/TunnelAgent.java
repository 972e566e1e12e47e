package org.symphonet.tunnel;

/**
 * Entry point for the overlay manager: the one interface it needs from this module.
 */
public interface TunnelAgent extends AutoCloseable {

    /** SHA-256 fingerprint of this node's certificate, to be signaled to peers. */
    Fingerprint localFingerprint();

    /**
     * Creates a tunnel and gathers its local candidates (blocking, bounded by the
     * STUN/TURN timeouts). Events for it go to {@code listener}.
     */
    Tunnel open(TunnelRequest request, TunnelListener listener) throws java.io.IOException;

    /**
     * Removes OVS ports and TAPs that a crashed earlier run left on {@code bridge}
     * (any port whose name carries this agent's TAP prefix).
     */
    int removeStalePorts(String bridge);

    @Override
    void close();
}
