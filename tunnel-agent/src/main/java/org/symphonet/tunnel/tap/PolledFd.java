package org.symphonet.tunnel.tap;

import com.sun.jna.Memory;

/**
 * A non-blocking descriptor read in bounded polls, so that a reader blocked on it notices
 * {@link #stop} within one poll period: a blocked read(2) cannot be interrupted by another
 * thread, and teardown must not hang. Shared by the TAP and the packet-socket port.
 */
final class PolledFd {
    static final int POLL_MILLIS = 200;

    private final int fd;
    private final Memory pollFd = new Memory(8);
    private volatile boolean stopped;
    private boolean closed;

    PolledFd(int fd) {
        this.fd = fd;
        pollFd.setInt(0, fd);
        pollFd.setShort(4, LibC.POLLIN);
    }

    int fd() {
        return fd;
    }

    boolean stopped() {
        return stopped;
    }

    /** Waits up to one poll period for something to read; false if the period passed quietly. */
    boolean awaitReadable() {
        return LibC.poll(pollFd, 1, POLL_MILLIS) != 0;
    }

    void stop() {
        stopped = true;
    }

    /** Stops readers and closes the descriptor once; call after both threads have stopped. */
    synchronized void close() {
        stopped = true;
        if (!closed) {
            closed = true;
            LibC.close(fd);
        }
    }
}
