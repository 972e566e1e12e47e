package org.symphonet.tunnel.tap;

import com.sun.jna.Memory;

/**
 * poll(2) on two descriptors, for a thread that serves both ends of a tunnel. Not thread-safe:
 * one per waiting thread.
 */
public final class PollSet {
    private static final int POLLFD = 8;

    private final Memory fds = new Memory(2L * POLLFD);

    public PollSet(int first, int second) {
        fds.clear();
        fds.setInt(0, first);
        fds.setShort(4, LibC.POLLIN);
        fds.setInt(POLLFD, second);
        fds.setShort(POLLFD + 4, LibC.POLLIN);
    }

    /** Waits up to {@code millis} for either descriptor; false if the time ran out (or a signal came). */
    public boolean await(int millis) {
        return LibC.poll(fds, 2, millis) > 0;
    }
}
