package org.symphonet.tunnel.tap;

import java.io.IOException;

/**
 * A frame port backed by one descriptor, so a single thread can wait on it together with the
 * tunnel's socket (see {@code datapath.TunnelLoop}) instead of a thread blocking on each.
 */
public interface PolledPort extends FramePort {

    /** The descriptor to wait on for readability. */
    int descriptor();

    /**
     * Reads one frame if one is queued, never blocking: its length, 0 when there is nothing to
     * read now, -1 once {@link #stopReading} was called.
     */
    int readNow(byte[] dst, int off, int max) throws IOException;

    /** Called before each wait on {@link #descriptor}: time for (rate-limited) housekeeping. */
    default void quiet() {
    }
}
