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
 * {@link #wholeFrames()} makes one that carries frames on a descriptor as a TAP does (a
 * SOCK_SEQPACKET socket pair: one read, one frame), so the native lone-frame hop runs on it.
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

        int socketpair(int domain, int type, int protocol, int[] fds);

        long read(int fd, byte[] buf, long count);

        long write(int fd, byte[] buf, long count);

        int shutdown(int fd, int how);
    }

    private static final int AF_UNIX = 1;
    private static final int SOCK_SEQPACKET = 5;
    private static final int SOCK_NONBLOCK = 0x800;
    private static final int SOCK_CLOEXEC = 0x80000;

    final BlockingQueue<byte[]> toTunnel;
    final BlockingQueue<byte[]> fromTunnel = new ArrayBlockingQueue<>(10000);
    volatile boolean closed;
    volatile String openedName;
    private final java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();
    private final int eventFd;
    /** wholeFrames(): the tunnel's end of the socket pair and the test's. */
    private final int tunnelEnd;
    private final int testEnd;

    MemoryPorts() {
        this.eventFd = -1;
        this.tunnelEnd = -1;
        this.testEnd = -1;
        this.toTunnel = new ArrayBlockingQueue<>(10000);
    }

    private MemoryPorts(int tunnelEnd, int testEnd) {
        this.eventFd = -1;
        this.tunnelEnd = tunnelEnd;
        this.testEnd = testEnd;
        // Frames the test injects go straight into the socket; whatever the tunnel writes is collected.
        this.toTunnel = new ArrayBlockingQueue<>(1) {
            @Override
            public boolean offer(byte[] frame) {
                return EventFd.C.write(testEnd, frame, frame.length) == frame.length;
            }

            @Override
            public boolean add(byte[] frame) {
                long n = EventFd.C.write(testEnd, frame, frame.length);
                if (n != frame.length) {
                    throw new IllegalStateException("frame not written to the socket pair " + testEnd + "/" + tunnelEnd
                            + ": " + n + " errno " + com.sun.jna.Native.getLastError());
                }
                return true;
            }
        };
        Thread reader = new Thread(() -> {
            byte[] buf = new byte[65536];
            long n;
            while ((n = EventFd.C.read(testEnd, buf, buf.length)) > 0) {
                fromTunnel.offer(java.util.Arrays.copyOf(buf, (int) n));
            }
        }, "whole-frames-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Ports on a socket pair that carries whole frames per read and write, as a TAP (one tunnel, opened once). */
    static MemoryPorts wholeFrames() {
        int[] fds = new int[2];
        if (EventFd.C.socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) != 0) {
            throw new IllegalStateException("socketpair failed");
        }
        // The tunnel's end never blocks (as the agent's TAP); the test's reader blocks.
        int flags = com.sun.jna.Native.load("c", Fcntl.class).fcntl(fds[0], 3 /* F_GETFL */, 0);
        com.sun.jna.Native.load("c", Fcntl.class).fcntl(fds[0], 4 /* F_SETFL */, flags | 0x800 /* O_NONBLOCK */);
        return new MemoryPorts(fds[0], fds[1]);
    }

    interface Fcntl extends Library {
        int fcntl(int fd, int cmd, int arg);
    }

    private MemoryPorts(int eventFd) {
        this.eventFd = eventFd;
        this.tunnelEnd = -1;
        this.testEnd = -1;
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
        FramePort port = tunnelEnd >= 0 ? new WholeFrames() : eventFd < 0 ? new Queued() : new Polled();
        return BoundPort.of(name, port, () -> {
            port.stopReading();
            // Once per instance, though a port may be opened again (a tunnel that came back): a second
            // close of a descriptor number hits whatever the process opened on it since, e.g. the
            // next test's socket pair.
            if (!released.compareAndSet(false, true)) {
                closed = true;
                return;
            }
            if (eventFd >= 0) {
                // The data path has stopped by now (teardown closes the port last).
                EventFd.C.close(eventFd);
            }
            if (tunnelEnd >= 0) {
                // Shut down, not closed: the numbers stay this pair's (a few per test run), so nothing
                // late of this test can reach another test's descriptors. Ends the reader's read.
                EventFd.C.shutdown(tunnelEnd, 2);
                EventFd.C.shutdown(testEnd, 2);
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

    /** The tunnel's end of the socket pair: what a TAP's descriptor is to the agent. */
    private final class WholeFrames implements PolledPort {
        private volatile boolean stopped;

        @Override
        public int descriptor() {
            return tunnelEnd;
        }

        @Override
        public org.symphonet.tunnel.tap.FrameDescriptor frameDescriptor() {
            return org.symphonet.tunnel.tap.FrameDescriptor.READ_WRITE;
        }

        @Override
        public int readNow(byte[] dst, int off, int max) {
            if (stopped) {
                return -1;
            }
            byte[] buf = new byte[max];
            long n = EventFd.C.read(tunnelEnd, buf, max);
            if (n <= 0) {
                return 0;
            }
            System.arraycopy(buf, 0, dst, off, (int) n);
            return (int) n;
        }

        @Override
        public int read(byte[] dst, int off, int max, IdleHook beforeWait) {
            throw new UnsupportedOperationException("a polled port is read by the tunnel loop");
        }

        @Override
        public boolean write(byte[] src, int off, int len) {
            byte[] copy = java.util.Arrays.copyOfRange(src, off, off + len);
            return EventFd.C.write(tunnelEnd, copy, len) == len;
        }

        @Override
        public void stopReading() {
            stopped = true;
        }
    }
}
