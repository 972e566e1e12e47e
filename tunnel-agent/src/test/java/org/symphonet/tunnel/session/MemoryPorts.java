package org.symphonet.tunnel.session;

import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import com.sun.jna.Library;
import com.sun.jna.Native;
import org.symphonet.tunnel.tap.FramePort;
import org.symphonet.tunnel.tap.PolledPort;

/**
 * A real, in-memory frame port (no TAP needed): frames the test injects are "read
 * from the TAP", frames the tunnel writes are collected for the test to check.
 * {@link #polled()} makes a port the data path can wait on like a TAP (an eventfd
 * counts what the test injects), so the tunnel runs its single-thread loop.
 */
final class MemoryPorts implements PortFactory {
    private static final int EFD_NONBLOCK = 0x800;
    private static final int EFD_CLOEXEC = 0x80000;

    /** The libc calls an eventfd needs. */
    interface EventFd extends Library {
        EventFd C = Native.load("c", EventFd.class);

        int eventfd(int initval, int flags);

        long read(int fd, long[] value, long count);

        long write(int fd, long[] value, long count);

        int close(int fd);
    }

    final BlockingQueue<byte[]> toTunnel;
    final BlockingQueue<byte[]> fromTunnel = new ArrayBlockingQueue<>(10000);
    volatile boolean closed;
    volatile String openedName;
    private final int eventFd;

    MemoryPorts() {
        this.eventFd = -1;
        this.toTunnel = new ArrayBlockingQueue<>(10000);
    }

    private MemoryPorts(int eventFd) {
        this.eventFd = eventFd;
        this.toTunnel = new ArrayBlockingQueue<>(10000) {
            @Override
            public boolean offer(byte[] frame) {
                boolean queued = super.offer(frame);
                EventFd.C.write(eventFd, new long[] {1}, 8);
                return queued;
            }
        };
    }

    /** Ports with a descriptor to wait on (one tunnel, opened once). */
    static MemoryPorts polled() {
        int fd = EventFd.C.eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        if (fd < 0) {
            throw new IllegalStateException("eventfd failed");
        }
        return new MemoryPorts(fd);
    }

    @Override
    public BoundPort open(String name, String bridge) {
        openedName = name;
        FramePort port = eventFd < 0 ? new Queued() : new Polled();
        return BoundPort.of(name, port, () -> {
            port.stopReading();
            if (eventFd >= 0) {
                // The data path has stopped by now (teardown closes the port last).
                EventFd.C.close(eventFd);
            }
            closed = true;
        });
    }

    private class Queued implements FramePort {
        volatile boolean stopped;

        @Override
        public int read(byte[] dst, int off, int max, IdleHook beforeWait) throws IOException {
            try {
                while (!stopped) {
                    byte[] f = toTunnel.poll();
                    if (f == null) {
                        beforeWait.idle();
                        f = toTunnel.poll(100, TimeUnit.MILLISECONDS);
                    }
                    if (f != null) {
                        System.arraycopy(f, 0, dst, off, f.length);
                        return f.length;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return -1;
        }

        @Override
        public boolean write(byte[] src, int off, int len) {
            byte[] copy = new byte[len];
            System.arraycopy(src, off, copy, 0, len);
            return fromTunnel.offer(copy);
        }

        @Override
        public void stopReading() {
            stopped = true;
        }
    }

    private final class Polled extends Queued implements PolledPort {
        @Override
        public int descriptor() {
            return eventFd;
        }

        @Override
        public int readNow(byte[] dst, int off, int max) {
            if (stopped) {
                return -1;
            }
            byte[] f = toTunnel.poll();
            if (f == null) {
                // Reset the count, then look again: a frame added meanwhile counts anew.
                EventFd.C.read(eventFd, new long[1], 8);
                f = toTunnel.poll();
            }
            if (f == null) {
                return 0;
            }
            System.arraycopy(f, 0, dst, off, f.length);
            return f.length;
        }
    }
}
