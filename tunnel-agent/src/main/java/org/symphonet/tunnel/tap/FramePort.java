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

    /**
     * Writes one frame, or holds it to write together with the frames that follow it until
     * {@link #flushJoined} (a TAP that takes TCP superframes: {@link SegmentJoiner}); a frame it
     * does not hold is written after what it held, in order. Returns how many frames were
     * dropped for lack of room just now (this one, or held ones written before it).
     */
    default int writeJoining(byte[] src, int off, int len) throws IOException {
        return write(src, off, len) ? 0 : 1;
    }

    /** Writes what {@link #writeJoining} holds; returns how many frames were dropped for lack of room. */
    default int flushJoined() throws IOException {
        return 0;
    }

    /** Frames written so far joined with others into one superframe (the writing thread only). */
    default long joinedFrames() {
        return 0;
    }

    void stopReading();
}
