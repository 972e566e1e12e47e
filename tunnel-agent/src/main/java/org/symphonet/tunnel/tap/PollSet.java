package org.symphonet.tunnel.tap;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

import org.symphonet.tunnel.io.NativeIo;

/**
 * poll(2) on two descriptors, for a thread that serves both ends of a tunnel. Not thread-safe:
 * one per waiting thread.
 */
public final class PollSet {
    private static final int POLLFD = 8;
    private static final int REVENTS = 6;

    private static final int PR_SET_TIMERSLACK = 29;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final Memory fds = new Memory(2L * POLLFD);
    /** struct timespec for ppoll(2): a wait shorter than poll(2)'s millisecond. */
    private final Memory timeout = new Memory(16);
    /** revents read through a direct view: plain loads, not a JNI call each. */
    private final ByteBuffer view = fds.getByteBuffer(0, 2L * POLLFD).order(ByteOrder.nativeOrder());
    private final ByteBuffer timeoutView = timeout.getByteBuffer(0, 16).order(ByteOrder.nativeOrder());
    private final long fdsAddress = Pointer.nativeValue(fds);
    private final long timeoutAddress = Pointer.nativeValue(timeout);

    public PollSet(int first, int second) {
        fds.clear();
        fds.setInt(0, first);
        fds.setShort(4, LibC.POLLIN);
        fds.setInt(POLLFD, second);
        fds.setShort(POLLFD + 4, LibC.POLLIN);
    }

    /** Waits up to {@code millis} for either descriptor; false if the time ran out (or a signal came). */
    public boolean await(int millis) {
        return (NativeIo.LOADED ? NativeIo.poll(fdsAddress, 2, millis) : LibC.poll(fds, 2, millis)) > 0;
    }

    /**
     * Waits up to {@code nanos} for either descriptor, to the microsecond (ppoll(2)); false if
     * the time ran out (or a signal came).
     */
    public boolean awaitNanos(long nanos) {
        timeoutView.putLong(0, nanos / NANOS_PER_SECOND);
        timeoutView.putLong(8, nanos % NANOS_PER_SECOND);
        return (NativeIo.LOADED ? NativeIo.ppoll(fdsAddress, 2, timeoutAddress) : LibC.ppoll(fds, 2, timeout, null)) > 0;
    }

    /**
     * Waits up to {@code nanos} for the first descriptor alone (ppoll(2)); the second is not
     * watched and reads as not ready afterwards. False if the time ran out (or a signal came).
     */
    public boolean awaitFirstNanos(long nanos) {
        view.putShort(POLLFD + REVENTS, (short) 0);
        timeoutView.putLong(0, nanos / NANOS_PER_SECOND);
        timeoutView.putLong(8, nanos % NANOS_PER_SECOND);
        return (NativeIo.LOADED ? NativeIo.ppoll(fdsAddress, 1, timeoutAddress) : LibC.ppoll(fds, 1, timeout, null)) > 0;
    }

    /**
     * Lets the calling thread's timed waits end within {@code nanos} of their time (Linux's
     * default slack is 50 µs): for a thread whose short waits are timed to the microsecond.
     * Best effort; false if the kernel refused.
     */
    public static boolean tightTimers(long nanos) {
        return LibC.prctl(PR_SET_TIMERSLACK, nanos, 0, 0, 0) == 0;
    }

    /** After a successful {@link #await}: whether the first descriptor is readable (or in error). */
    public boolean firstReady() {
        return view.getShort(REVENTS) != 0;
    }

    /** After a successful {@link #await}: whether the second descriptor is readable (or in error). */
    public boolean secondReady() {
        return view.getShort(POLLFD + REVENTS) != 0;
    }
}
