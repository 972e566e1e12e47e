package org.symphonet.tunnel.ice;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.symphonet.tunnel.IceParameters;

/**
 * One tunnel's local end before it is connected: sockets bound, candidates
 * gathered, waiting for the peer's parameters.
 */
public interface LocalPath extends AutoCloseable {

    IceParameters localParameters();

    /**
     * Finds a working path to the peer (blocking).
     *
     * @param controlling ICE role; the DTLS client (smaller node ID) controls, so both ends agree
     * @param foreign     counter for datagrams from addresses that are not the peer
     */
    EstablishedPath establish(IceParameters remote, boolean controlling, Duration timeout, AtomicLong foreign)
            throws IOException;

    /** Releases sockets if {@link #establish} never ran or failed. */
    @Override
    void close();
}
