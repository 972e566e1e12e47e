package org.symphonet.tunnel.tap;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

import java.io.IOException;
import java.nio.ByteBuffer;

import org.symphonet.tunnel.io.NativeIo;

/**
 * A Linux TAP device ({@code IFF_TAP|IFF_NO_PI}: whole Ethernet frames, no
 * packet-info header). Not persistent: when the descriptor closes (also when the
 * process dies) the kernel removes the interface, so a crash leaves no TAP behind.
 *
 * <p>Threading: one thread may {@link #read} while another {@link #write}s; each
 * direction owns its native buffer, so the hot path allocates nothing.
 * Call {@link #close} only after both threads have stopped.
 */
public final class TapDevice implements PolledPort, AutoCloseable {
    /**
     * Upper bound for a frame read from the TAP: a 9000-byte MTU plus Ethernet and
     * two VLAN headers, rounded up. Per-TAP native buffers are sized by it, so an
     * idle tunnel costs kilobytes, not the 64 KiB of a maximal read.
     */
    public static final int MAX_FRAME = 9216 + 1024;

    private final String name;
    private final PolledFd fd;
    private final Memory readBuf = new Memory(MAX_FRAME);
    private final Memory writeBuf = new Memory(MAX_FRAME);
    private final long readAddress = Pointer.nativeValue(readBuf);
    private final long writeAddress = Pointer.nativeValue(writeBuf);
    /** Copies go through direct views (plain loads and stores), not a JNA call each. */
    private final ByteBuffer readView = readBuf.getByteBuffer(0, MAX_FRAME);
    private final ByteBuffer writeView = writeBuf.getByteBuffer(0, MAX_FRAME);

    private TapDevice(String name, int fd) {
        this.name = name;
        this.fd = new PolledFd(fd);
    }

    /** Creates (or attaches to) TAP {@code name}, sets its MTU and brings it up. */
    public static TapDevice open(String name, int mtu) throws IOException {
        if (!TapNames.isValidInterfaceName(name)) {
            throw new IOException("bad interface name: " + name);
        }
        int fd = LibC.open("/dev/net/tun", LibC.O_RDWR | LibC.O_CLOEXEC);
        if (fd < 0) {
            throw new IOException("open /dev/net/tun: errno " + LibC.errno());
        }
        try {
            Memory ifr = LinkSettings.ifreq(name);
            ifr.setShort(LibC.IFNAMSIZ, (short) (LibC.IFF_TAP | LibC.IFF_NO_PI));
            LibC.check(LibC.ioctl(fd, LibC.TUNSETIFF, ifr), "TUNSETIFF " + name);
            // Non-blocking plus poll: a blocked read(2) on a TAP cannot be interrupted
            // by another thread, and teardown must not hang.
            int flags = LibC.fcntl(fd, LibC.F_GETFL, 0);
            LibC.check(LibC.fcntl(fd, LibC.F_SETFL, flags | LibC.O_NONBLOCK), "O_NONBLOCK");
            LinkSettings.configure(name, mtu, 0);
            return new TapDevice(name, fd);
        } catch (IOException | RuntimeException e) {
            LibC.close(fd);
            throw e;
        }
    }

    public String name() {
        return name;
    }

    /**
     * Reads one frame into {@code dst}. Blocks (in bounded polls) until a frame
     * arrives; returns -1 once {@link #stopReading()} was called.
     */
    @Override
    public int read(byte[] dst, int off, int max, IdleHook beforeWait) throws IOException {
        while (!fd.stopped()) {
            int n = readNow(dst, off, max);
            if (n != 0) {
                return n;
            }
            beforeWait.idle();
            fd.awaitReadable();
        }
        return -1;
    }

    @Override
    public int readNow(byte[] dst, int off, int max) throws IOException {
        while (!fd.stopped()) {
            long n = NativeIo.LOADED ? NativeIo.read(fd.fd(), readAddress, MAX_FRAME)
                    : LibC.read(fd.fd(), readBuf, MAX_FRAME);
            if (n > 0) {
                int len = (int) Math.min(n, max);
                readView.get(0, dst, off, len);
                return len;
            }
            if (n == 0) {
                return 0;
            }
            int err = NativeIo.LOADED ? NativeIo.errno(n) : LibC.errno();
            if (err == LibC.EAGAIN) {
                return 0;
            }
            if (err != LibC.EINTR) {
                throw new IOException("read " + name + ": errno " + err);
            }
        }
        return -1;
    }

    @Override
    public int descriptor() {
        return fd.fd();
    }

    @Override
    public FrameDescriptor frameDescriptor() {
        return FrameDescriptor.READ_WRITE;
    }

    /**
     * Writes one frame. Returns false if the kernel refused it for lack of room;
     * the caller counts that as a drop rather than blocking the receive path.
     */
    @Override
    public boolean write(byte[] src, int off, int len) throws IOException {
        writeView.put(0, src, off, len);
        while (true) {
            long n = NativeIo.LOADED ? NativeIo.write(fd.fd(), writeAddress, len) : LibC.write(fd.fd(), writeBuf, len);
            if (n >= 0) {
                return true;
            }
            int err = NativeIo.LOADED ? NativeIo.errno(n) : LibC.errno();
            if (err == LibC.EAGAIN) {
                return false;
            }
            if (err != LibC.EINTR) {
                throw new IOException("write " + name + ": errno " + err);
            }
        }
    }

    /** Makes a pending and every later {@link #read} return -1 within one poll period. */
    @Override
    public void stopReading() {
        fd.stop();
    }

    @Override
    public void close() {
        fd.close();
    }

}
