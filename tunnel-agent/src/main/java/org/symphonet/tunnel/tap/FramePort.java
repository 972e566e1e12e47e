package org.symphonet.tunnel.tap;

import java.io.IOException;

/**
 * Where the tunnel's Ethernet frames enter and leave the host: a TAP device in
 * production, an in-memory port in tests of the data path.
 * One thread reads, another writes.
 */
public interface FramePort {

    /**
     * Blocks until a frame arrives; returns its length, or -1 once {@link #stopReading}
     * was called. {@code beforeWait} runs each time the port is about to block with
     * nothing to read: the moment to flush anything batched.
     */
    int read(byte[] dst, int off, int max, IdleHook beforeWait) throws IOException;

    /** What a reader does when it runs out of frames. */
    @FunctionalInterface
    interface IdleHook {
        IdleHook NONE = () -> { };

        void idle() throws IOException;
    }

    /** Writes one frame; false if it had to be dropped for lack of room. */
    boolean write(byte[] src, int off, int len) throws IOException;

    void stopReading();
}
