package org.symphonet.tunnel.tap;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.symphonet.tunnel.io.NativeIo;

/**
 * The kernel side of a TAP that ovs-vswitchd owns (an OVS port of {@code type=tap}), reached
 * through an {@code AF_PACKET} socket bound to it.
 *
 * <p>Why not our own TAP descriptor: OVS's userspace datapath reads a TAP it does not own through
 * a packet socket with the kernel's default receive buffer (about 90 full-size frames, and
 * unchangeable inside a network namespace), and on a busy host it drains that too late: the
 * bench showed ~6% of a TCP flow's frames dropped there. When OVS owns the TAP it reads the
 * device's own queue instead (the interface's txqueuelen, which we set), and the direction toward
 * us lands in our socket, whose buffer we size. Same frames, same device, much deeper queues.
 *
 * <p>What the packet socket changes: the kernel strips a VLAN tag on receive and reports it in
 * {@code PACKET_AUXDATA}, so {@link #read} puts it back; frames we send ourselves are not read
 * back ({@code PACKET_IGNORE_OUTGOING}, or by packet type on older kernels). OVS makes its TAPs
 * persistent, so the device outlives an ovs-vswitchd crash or restart; if the port is deleted and
 * added again all the same, the device is a new one and the socket re-binds to it by name.
 *
 * <p>Threading as {@link TapDevice}: one reader, one writer, each with its own native buffers.
 */
public final class PacketSocketPort implements PolledPort, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PacketSocketPort.class);
    private static final long REBIND_CHECK_NANOS = 1_000_000_000L;
    /** About 2,700 full-size frames each way: rides out a scheduler hiccup of tens of ms at 1 Gbit/s. */
    private static final int SOCKET_BUFFER = 4 << 20;
    private static final int ETH_ADDRS = 12;
    private static final int VLAN_TAG = 4;

    /** struct msghdr, sockaddr_ll and a control buffer for one tpacket_auxdata (64-bit Linux). */
    private static final int MSGHDR = 56;
    private static final int SOCKADDR_LL = 20;
    private static final int CONTROL = 64;
    static final int MSG_TRUNC = 0x20;
    /**
     * Frames per recvmmsg/sendmmsg on the packet socket (1 or less: one system call per frame).
     * Reads batch only behind a read that found a frame (a lone frame costs what it did: one
     * recvmsg, then the read that finds the socket empty); writes batch whatever the tunnel loop
     * delivers from one batch of records ({@link #writeJoining}, sent by {@link #flushJoined}).
     */
    static final int BATCH = Integer.getInteger("symphonet.tunnel.packetBatch", 16);
    /**
     * Frames closer than this to the last ones are a stream's (as the tunnel loop's own idle
     * mark, TapToPeer.IDLE_NANOS): the first read after a wake-up batches too.
     */
    private static final long BURST_NANOS = 200_000;

    private final String name;
    private final PolledFd fd;
    private volatile int ifindex;
    private long nextDeviceCheck;

    private final Memory rxBuf = new Memory(TapDevice.MAX_FRAME);
    private final Memory rxMsg = new Memory(MSGHDR);
    private final Memory rxIov = new Memory(16);
    private final Memory rxName = new Memory(SOCKADDR_LL);
    private final Memory rxCtl = new Memory(CONTROL);
    private final ByteBuffer rxMsgView = view(rxMsg, MSGHDR);
    private final ByteBuffer rxNameView = view(rxName, SOCKADDR_LL);
    private final ByteBuffer rxCtlView = view(rxCtl, CONTROL);
    private final Memory txBuf = new Memory(TapDevice.MAX_FRAME);
    /** Frames are copied through direct views (plain loads and stores), not a JNA call each. */
    private final ByteBuffer rxBufView = rxBuf.getByteBuffer(0, TapDevice.MAX_FRAME);
    private final ByteBuffer txBufView = txBuf.getByteBuffer(0, TapDevice.MAX_FRAME);
    private final long rxMsgAddress = Pointer.nativeValue(rxMsg);
    private final long txBufAddress = Pointer.nativeValue(txBuf);
    private final Memory bindAddr = new Memory(SOCKADDR_LL);
    /** Batched reads ({@link #BATCH}), made on the first burst: an interactive tunnel never needs them. */
    private PacketMessages rxBatch;
    private int rxCount;
    private int rxNext;
    /** Whether the last read found a frame: the next one may find more, and reads a batch. */
    private boolean burst;
    /**
     * Set when the last frame of a batch that did not fill was handed out: the socket was empty
     * then, so the next read says so without asking the kernel again (as the batched UDP path
     * asks again only behind a full batch). poll(2) is level-triggered: what came since wakes
     * the next wait at once.
     */
    private boolean drained;
    /** When a read last found frames ({@link System#nanoTime}): within {@link #BURST_NANOS}, reads batch from the first. */
    private long lastFrameNanos = System.nanoTime() - BURST_NANOS;
    /** Frames held for one sendmmsg ({@link #writeJoining}), made on first use. */
    private PacketMessages txBatch;
    private int txCount;

    private PacketSocketPort(String name, int fd) {
        this.name = name;
        this.fd = new PolledFd(fd);
        rxIov.setPointer(0, rxBuf);
        rxIov.setLong(8, TapDevice.MAX_FRAME);
        rxMsg.clear();
        rxMsg.setPointer(0, rxName);
        rxMsg.setPointer(16, rxIov);
        rxMsg.setLong(24, 1);
        rxMsg.setPointer(32, rxCtl);
    }

    /**
     * Binds a packet socket to interface {@code name}, which must exist (waits up to
     * {@code appear} for it), brings it up and gives its transmit queue {@code queueLength} frames.
     */
    public static PacketSocketPort open(String name, Duration appear, int queueLength) throws IOException {
        if (!TapNames.isValidInterfaceName(name)) {
            throw new IOException("bad interface name: " + name);
        }
        long deadline = System.nanoTime() + appear.toNanos();
        int index;
        while ((index = LibC.if_nametoindex(name)) == 0) {
            if (System.nanoTime() > deadline) {
                throw new IOException("interface " + name + " did not appear within " + appear.toMillis() + " ms");
            }
            sleep(20);
        }
        LinkSettings.withoutHostIpv6(name);
        LinkSettings.configure(name, 0, queueLength);
        int fd = LibC.socket(LibC.AF_PACKET, LibC.SOCK_RAW | LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw new IOException("packet socket for " + name + ": errno " + LibC.errno());
        }
        PacketSocketPort port = new PacketSocketPort(name, fd);
        try {
            port.bufferSize(LibC.SO_RCVBUFFORCE, LibC.SO_RCVBUF);
            port.bufferSize(LibC.SO_SNDBUFFORCE, LibC.SO_SNDBUF);
            LibC.check(port.option(LibC.SOL_PACKET, LibC.PACKET_AUXDATA, 1), "PACKET_AUXDATA on " + name);
            // Optional (Linux 4.20+): without it, read() skips our own frames by their packet type.
            port.option(LibC.SOL_PACKET, LibC.PACKET_IGNORE_OUTGOING, 1);
            LibC.check(port.bind(index), "bind packet socket to " + name);
            return port;
        } catch (IOException | RuntimeException e) {
            LibC.close(fd);
            throw e;
        }
    }

    public String name() {
        return name;
    }

    @Override
    public int read(byte[] dst, int off, int max, IdleHook beforeWait) throws IOException {
        while (!fd.stopped()) {
            int n = readNow(dst, off, max);
            if (n != 0) {
                return n;
            }
            beforeWait.idle();
            if (!fd.awaitReadable()) {
                followDevice();
            }
        }
        return -1;
    }

    @Override
    public int readNow(byte[] dst, int off, int max) throws IOException {
        while (!fd.stopped()) {
            if (rxNext < rxCount) {
                int i = rxNext++;
                PacketMessages b = rxBatch;
                drained = rxNext == rxCount && rxCount < b.capacity();
                if (b.skipped(i, LibC.PACKET_OUTGOING)) {
                    continue;
                }
                return deliver(b.controls(), i * PacketMessages.CONTROL, b.controlLength(i), b.frames(), i * b.slot(),
                        dst, off, max, b.length(i));
            }
            if (drained) {
                drained = false;
                burst = false;
                return 0;
            }
            if (BATCH > 1 && NativeIo.LOADED && (burst || System.nanoTime() - lastFrameNanos < BURST_NANOS)) {
                int got = receiveBatch();
                if (got != 0) {
                    continue; // frames to hand out, or an interrupted call to repeat
                }
                burst = false;
                return 0;
            }
            rxMsgView.putInt(8, SOCKADDR_LL);
            rxMsgView.putLong(40, CONTROL);
            rxMsgView.putInt(48, 0);
            long n = NativeIo.LOADED ? NativeIo.recvmsg(fd.fd(), rxMsgAddress, 0) : LibC.recvmsg(fd.fd(), rxMsg, 0);
            if (n >= 0) {
                if ((rxMsgView.getInt(48) & MSG_TRUNC) != 0 || (rxNameView.get(10) & 0xff) == LibC.PACKET_OUTGOING) {
                    continue; // larger than any frame we carry, or one we sent ourselves
                }
                burst = true;
                lastFrameNanos = System.nanoTime();
                return deliver(rxCtlView, 0, rxMsgView.getLong(40), rxBufView, 0, dst, off, max, (int) n);
            }
            int err = NativeIo.LOADED ? NativeIo.errno(n) : LibC.errno();
            if (!readError(err, "recvmsg")) {
                return 0;
            }
        }
        return -1;
    }

    /**
     * One recvmmsg into the batch: the frames it got (handed out by the next reads), 0 when the
     * socket held nothing (or the device is gone for now), -1 after a signal (call again).
     */
    private int receiveBatch() throws IOException {
        PacketMessages b = rxBatch;
        if (b == null) {
            b = rxBatch = new PacketMessages(BATCH, TapDevice.MAX_FRAME);
        }
        b.prepareReceive();
        int n = NativeIo.recvmmsg(fd.fd(), b.address(0), b.capacity(), 0);
        if (n > 0) {
            rxCount = n;
            rxNext = 0;
            burst = true;
            lastFrameNanos = System.nanoTime();
            return n;
        }
        rxCount = 0;
        rxNext = 0;
        return n < 0 && readError(NativeIo.errno(n), "recvmmsg") ? -1 : 0;
    }

    /** A failed read's errno: false when it means "nothing to read now", true for a signal (read again). */
    private boolean readError(int err, String call) throws IOException {
        if (err == LibC.EAGAIN) {
            return false;
        }
        if (err == LibC.ENETDOWN || err == LibC.ENXIO || err == LibC.ENODEV) {
            // The device went away or down: the error is reported once, then reads are quiet.
            followDevice();
            return false;
        }
        if (err != LibC.EINTR) {
            throw new IOException(call + " on " + name + ": errno " + err);
        }
        return true;
    }

    @Override
    public int descriptor() {
        return fd.fd();
    }

    @Override
    public FrameDescriptor frameDescriptor() {
        return FrameDescriptor.PACKET_SOCKET;
    }

    /** ovs-vswitchd must wake up and read the TAP before anything can answer a frame we send. */
    @Override
    public boolean answersWithinWrite() {
        return false;
    }

    @Override
    public void quiet() {
        followDevice();
    }

    /**
     * Copies the frame at {@code at} in {@code buf} out, putting back a VLAN tag the kernel moved
     * into the auxiliary data (the control message at {@code c} in {@code ctl}, {@code ctlLen} bytes).
     */
    private static int deliver(ByteBuffer ctl, int c, long ctlLen, ByteBuffer buf, int at, byte[] dst, int off, int max,
                               int len) {
        boolean tagged = ctlLen >= 36 && ctl.getInt(c + 8) == LibC.SOL_PACKET && ctl.getInt(c + 12) == LibC.PACKET_AUXDATA
                && (ctl.getInt(c + 16) & LibC.TP_STATUS_VLAN_VALID) != 0 && len >= ETH_ADDRS;
        if (!tagged) {
            int n = Math.min(len, max);
            buf.get(at, dst, off, n);
            return n;
        }
        int status = ctl.getInt(c + 16);
        int tci = ctl.getShort(c + 32) & 0xffff;
        int tpid = (status & LibC.TP_STATUS_VLAN_TPID_VALID) != 0 ? ctl.getShort(c + 34) & 0xffff : 0x8100;
        int total = Math.min(len + VLAN_TAG, max);
        buf.get(at, dst, off, ETH_ADDRS);
        dst[off + 12] = (byte) (tpid >>> 8);
        dst[off + 13] = (byte) tpid;
        dst[off + 14] = (byte) (tci >>> 8);
        dst[off + 15] = (byte) tci;
        buf.get(at + ETH_ADDRS, dst, off + ETH_ADDRS + VLAN_TAG, total - ETH_ADDRS - VLAN_TAG);
        return total;
    }

    /**
     * Sends one frame out of the device (toward OVS). False when it was dropped: no room, the
     * device is gone for the moment, or the frame is larger than the device's MTU.
     */
    @Override
    public boolean write(byte[] src, int off, int len) throws IOException {
        if (txCount > 0) {
            // Frames held by writeJoining go first: order is kept.
            flushJoined();
        }
        txBufView.put(0, src, off, len);
        while (true) {
            long n = NativeIo.LOADED ? NativeIo.send(fd.fd(), txBufAddress, len, 0) : LibC.send(fd.fd(), txBuf, len, 0);
            if (n >= 0) {
                return true;
            }
            int err = NativeIo.LOADED ? NativeIo.errno(n) : LibC.errno();
            if (droppedOn(err)) {
                return false;
            }
            if (err != LibC.EINTR) {
                throw new IOException("send on " + name + ": errno " + err);
            }
        }
    }

    /**
     * Holds the frame for one sendmmsg with those that follow it until {@link #flushJoined} (the
     * tunnel loop's batch of records); a full batch goes at once. Returns the frames dropped now.
     */
    @Override
    public int writeJoining(byte[] src, int off, int len) throws IOException {
        if (BATCH <= 1 || !NativeIo.LOADED || len > TapDevice.MAX_FRAME) {
            return write(src, off, len) ? 0 : 1;
        }
        PacketMessages b = txBatch;
        if (b == null) {
            b = txBatch = new PacketMessages(BATCH, TapDevice.MAX_FRAME);
        }
        b.put(txCount++, src, off, len);
        return txCount == b.capacity() ? flushJoined() : 0;
    }

    /**
     * Sends what {@link #writeJoining} holds, in order. As {@link #write}: a frame the socket
     * refuses for lack of room or device is dropped (counted in the result) and the rest go on.
     */
    @Override
    public int flushJoined() throws IOException {
        int dropped = 0;
        int i = 0;
        try {
            while (i < txCount) {
                int n = NativeIo.sendmmsg(fd.fd(), txBatch.address(i), txCount - i, 0);
                if (n > 0) {
                    i += n;
                    continue;
                }
                int err = NativeIo.errno(n);
                if (droppedOn(err)) {
                    dropped++;
                    i++;
                } else if (err != LibC.EINTR) {
                    throw new IOException("sendmmsg on " + name + ": errno " + err);
                }
            }
        } finally {
            txCount = 0;
        }
        return dropped;
    }

    private static boolean droppedOn(int err) {
        return err == LibC.EAGAIN || err == LibC.ENOBUFS || err == LibC.EMSGSIZE
                || err == LibC.ENETDOWN || err == LibC.ENXIO || err == LibC.ENODEV;
    }

    /** A port deleted and added again is a new device with a new index: bind to that one. */
    private void followDevice() {
        long now = System.nanoTime();
        if (now < nextDeviceCheck) {
            return;
        }
        nextDeviceCheck = now + REBIND_CHECK_NANOS;
        int index = LibC.if_nametoindex(name);
        if (index == 0 || index == ifindex) {
            return;
        }
        try {
            LinkSettings.configure(name, 0, 0);
        } catch (IOException e) {
            LOG.debug("{}: {}", name, e.getMessage());
            return;
        }
        if (bind(index) == 0) {
            LOG.info("{} was re-created (index {}); packet socket follows it", name, index);
        }
    }

    private int bind(int index) {
        bindAddr.clear();
        bindAddr.setShort(0, (short) LibC.AF_PACKET);
        bindAddr.setShort(2, Short.reverseBytes((short) LibC.ETH_P_ALL));
        bindAddr.setInt(4, index);
        int rc = LibC.bind(fd.fd(), bindAddr, SOCKADDR_LL);
        if (rc == 0) {
            ifindex = index;
        }
        return rc;
    }

    private void bufferSize(int forced, int plain) throws IOException {
        if (option(LibC.SOL_SOCKET, forced, SOCKET_BUFFER) != 0) {
            // Not privileged for the forced variant: the plain one is capped by net.core.*mem_max.
            LibC.check(option(LibC.SOL_SOCKET, plain, SOCKET_BUFFER), "socket buffer size on " + name);
        }
    }

    private int option(int level, int option, int value) {
        Memory v = new Memory(4);
        v.setInt(0, value);
        return LibC.setsockopt(fd.fd(), level, option, v, 4);
    }

    @Override
    public void stopReading() {
        fd.stop();
    }

    @Override
    public void close() {
        fd.close();
    }

    private static ByteBuffer view(Memory m, int size) {
        return m.getByteBuffer(0, size).order(ByteOrder.nativeOrder());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
