package org.symphonet.tunnel.dtls;

import java.io.IOException;

/**
 * A path backed by one socket descriptor, so a single thread can wait on it together with the
 * tunnel's TAP instead of a thread blocking on each.
 */
public interface PolledPath {

    /** The descriptor to wait on for readability. */
    int descriptor();

    /**
     * True when a {@link PacketPath#receive} would return a datagram (or report the socket closed)
     * without waiting; fetches what the kernel holds if need be, never blocking.
     */
    boolean readyNow() throws IOException;

    /**
     * As {@link #readyNow}, but asks the kernel only when the last fetch came back full (more may
     * be queued behind it): after a partial batch the socket was drained then, and poll(2) tells
     * of anything newer. Saves an empty system call after every burst.
     */
    default boolean readyBuffered() throws IOException {
        return readyNow();
    }
}
