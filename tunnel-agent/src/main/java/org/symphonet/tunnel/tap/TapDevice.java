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
 * <p>With {@code IFF_VNET_HDR} every read and write carries a virtio-net header (when either
 * offload below is on, as by default). Writes: a TCP superframe the kernel's stack takes in one
 * pass ({@link #writeJoining}, {@link SegmentJoiner}; {@code -Dsymphonet.tunnel.tapJoin=false}
 * turns it off). Reads ({@code -Dsymphonet.tunnel.tapTso=false} turns it off): the TAP offers
 * TSO4 and checksum offload (TUNSETOFFLOAD), so the host's TCP hands over up to 64 KiB per read,
 * which {@link SegmentSplitter} cuts into the frames the tunnel carries.
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
    /** Whether frames written may be joined into TCP superframes (needs the virtio-net header). */
    static final boolean JOIN = Boolean.parseBoolean(System.getProperty("symphonet.tunnel.tapJoin", "true"));
    /** Whether the TAP offers TSO4 and checksum offload, so reads may be superframes (needs the header). */
    static final boolean TSO = Boolean.parseBoolean(System.getProperty("symphonet.tunnel.tapTso", "true"));
    /** A read with TSO: header, Ethernet and VLAN headers, the largest GSO packet. */
    private static final int TSO_READ = SegmentJoiner.HEADER + 18 + 65_536;
    /** TUNSETOFFLOAD ({@code _IOW('T', 208, unsigned int)}) and its flags: checksum, TSO4. */
    private static final long TUNSETOFFLOAD = 0x400454d0L;
    private static final int TUN_F_CSUM = 0x01;
    private static final int TUN_F_TSO4 = 0x02;

    private final String name;
    private final PolledFd fd;
    /** Bytes of the virtio-net header in front of every frame read or written: 0 or {@link SegmentJoiner#HEADER}. */
    private final int head;
    /** Whether writes may join and reads may be superframes. */
    private final boolean join;
    private final boolean tso;
    /** Bytes one read may return (header included). */
    private final int readSize;
    private final Memory readBuf;
    /** A frame written alone: behind {@link #head} zero bytes, a plain frame's header. */
    private final Memory writeBuf = new Memory(MAX_FRAME + SegmentJoiner.HEADER);
    private final long readAddress;
    private final long writeAddress = Pointer.nativeValue(writeBuf);
    /** Copies go through direct views (plain loads and stores), not a JNA call each. */
    private final ByteBuffer readView;
    private final ByteBuffer writeView = writeBuf.getByteBuffer(0, MAX_FRAME + SegmentJoiner.HEADER);
    /** The frames of the last read that needed cutting (or completing), handed out one per {@link #readNow}. */
    private final SegmentSplitter splitter = new SegmentSplitter();
    /** Bytes native code left in {@link #readBuf} for the next {@link #readNow} ({@link #adopt}), or 0. */
    private int adopted;
    private long superframes;
    /** Made on the first frame that may join: 64 KiB of native memory an idle tunnel does without. */
    private Memory joinBuf;
    private long joinAddress;
    private SegmentJoiner joiner;
    private long joined;

    private TapDevice(String name, int fd, boolean join, boolean tso) {
        this.name = name;
        this.fd = new PolledFd(fd);
        this.join = join;
        this.tso = tso;
        this.head = join || tso ? SegmentJoiner.HEADER : 0;
        this.readSize = tso ? TSO_READ : MAX_FRAME + head;
        this.readBuf = new Memory(readSize);
        this.readAddress = Pointer.nativeValue(readBuf);
        this.readView = readBuf.getByteBuffer(0, readSize);
        writeBuf.clear(SegmentJoiner.HEADER);
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
            ifr.setShort(LibC.IFNAMSIZ, (short) (LibC.IFF_TAP | LibC.IFF_NO_PI | (JOIN || TSO ? LibC.IFF_VNET_HDR : 0)));
            LibC.check(LibC.ioctl(fd, LibC.TUNSETIFF, ifr), "TUNSETIFF " + name);
            // Without it the kernel segments and checksums in software before the TAP, frame by frame.
            boolean tso = TSO && LibC.ioctl(fd, TUNSETOFFLOAD, new Pointer(TUN_F_CSUM | TUN_F_TSO4)) == 0;
            // Non-blocking plus poll: a blocked read(2) on a TAP cannot be interrupted
            // by another thread, and teardown must not hang.
            int flags = LibC.fcntl(fd, LibC.F_GETFL, 0);
            LibC.check(LibC.fcntl(fd, LibC.F_SETFL, flags | LibC.O_NONBLOCK), "O_NONBLOCK");
            LinkSettings.configure(name, mtu, 0);
            return new TapDevice(name, fd, JOIN, tso);
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
            if (splitter.hasNext()) {
                int len = splitter.next(dst, off, max);
                if (len > 0) {
                    return len;
                }
                continue;
            }
            long n;
            if (adopted > 0) {
                n = adopted;
                adopted = 0;
            } else {
                n = NativeIo.LOADED ? NativeIo.read(fd.fd(), readAddress, readSize) : LibC.read(fd.fd(), readBuf, readSize);
            }
            if (n > head) {
                if (tso && SegmentSplitter.needed(readView, 0)) {
                    // A superframe (or a checksum to complete): its frames from the next turn of this loop on.
                    splitter.start(readView, 0, (int) n);
                    superframes++;
                    continue;
                }
                int len = (int) Math.min(n - head, max);
                readView.get(head, dst, off, len);
                return len;
            }
            if (n > 0) {
                // Only a header: nothing a frame port can pass on.
                continue;
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
        return head > 0 ? FrameDescriptor.READ_WRITE_VNET : FrameDescriptor.READ_WRITE;
    }

    @Override
    public int maxRead() {
        return readSize - head;
    }

    @Override
    public ByteBuffer adoptBuffer() {
        return head > 0 ? readView : null;
    }

    @Override
    public long superframesRead() {
        return superframes;
    }

    /** Only between reads: the splitter must have handed out the last read's frames ({@link #readNow} returned 0). */
    @Override
    public void adopt(int len) {
        adopted = len;
    }

    /**
     * Writes one frame. Returns false if the kernel refused it for lack of room;
     * the caller counts that as a drop rather than blocking the receive path.
     */
    @Override
    public boolean write(byte[] src, int off, int len) throws IOException {
        writeView.put(head, src, off, len);
        return writeOut(writeBuf, writeAddress, head + len);
    }

    /**
     * Holds a TCP segment that may join the next ones ({@link SegmentJoiner}); writes anything
     * else at once, after what was held.
     */
    @Override
    public int writeJoining(byte[] src, int off, int len) throws IOException {
        if (!join) {
            return write(src, off, len) ? 0 : 1;
        }
        if (joiner == null) {
            if (SegmentJoiner.payloadOf(src, off, len) <= 0) {
                return write(src, off, len) ? 0 : 1;
            }
            joinBuf = new Memory(SegmentJoiner.HEADER + 14 + SegmentJoiner.MAX_IP);
            joinAddress = Pointer.nativeValue(joinBuf);
            joiner = new SegmentJoiner(joinBuf.getByteBuffer(0, joinBuf.size()));
        }
        if (joiner.offer(src, off, len)) {
            return 0;
        }
        int dropped = flushJoined();
        if (!joiner.offer(src, off, len)) {
            dropped += write(src, off, len) ? 0 : 1;
        }
        return dropped;
    }

    @Override
    public int flushJoined() throws IOException {
        if (joiner == null) {
            return 0;
        }
        int segments = joiner.segments();
        int n = joiner.take();
        if (n == 0 || writeOut(joinBuf, joinAddress, n)) {
            if (segments > 1) {
                joined += segments;
            }
            return 0;
        }
        return segments;
    }

    @Override
    public long joinedFrames() {
        return joined;
    }

    private boolean writeOut(Memory buf, long address, int len) throws IOException {
        while (true) {
            long n = NativeIo.LOADED ? NativeIo.write(fd.fd(), address, len) : LibC.write(fd.fd(), buf, len);
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
