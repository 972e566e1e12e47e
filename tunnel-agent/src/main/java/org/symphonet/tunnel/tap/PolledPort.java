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

    /**
     * Whether a frame written here may be answered before the write returns: true for a TAP the
     * local stack sits behind (the kernel runs it within the write), false where another process
     * must wake up first to answer (ovs-vswitchd reading the TAP behind a packet socket). Where
     * false, the tunnel loop does not read the port again right after writing to it: that read
     * would always come back empty, a system call on every inbound frame for nothing.
     */
    default boolean answersWithinWrite() {
        return true;
    }

    /**
     * How native code may carry frames on {@link #descriptor} itself ({@code dtls.LoneHop}), as
     * this port's own read and write do; {@link FrameDescriptor#NONE} where it may not.
     */
    default FrameDescriptor frameDescriptor() {
        return FrameDescriptor.NONE;
    }

    /** The longest read native code must allow for on {@link #descriptor} (header included). */
    default int maxRead() {
        return TapDevice.MAX_FRAME;
    }

    /**
     * Where native code that read from {@link #descriptor} copies what needs this port's own
     * handling ({@link FrameDescriptor#READ_WRITE_VNET}: header and frame), or null for none.
     */
    default java.nio.ByteBuffer adoptBuffer() {
        return null;
    }

    /** What was copied into {@link #adoptBuffer} ({@code len} bytes) is what the next {@link #readNow} reads. */
    default void adopt(int len) {
    }

    /** Reads so far that were superframes cut into frames or frames whose checksum was completed (the reading thread only). */
    default long superframesRead() {
        return 0;
    }

    /** Called before each wait on {@link #descriptor}: time for (rate-limited) housekeeping. */
    default void quiet() {
    }
}
