package org.symphonet.tunnel.dtls;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

import org.symphonet.tunnel.io.NativeIo;

/**
 * A UDP socket toward one peer that moves datagrams in batches: {@code recvmmsg}
 * fills up to {@link #BATCH} slots per system call, and the sending thread
 * queues records and hands them to the kernel with one {@code sendmmsg} when it
 * runs out of frames (or the batch is full). A full-size frame is two records,
 * so this halves the system calls per frame at least; under load far more.
 *
 * <p>Per-datagram work touches the native memory through direct {@link ByteBuffer}
 * views (compiled to plain loads and stores), not through JNA's per-call JNI
 * accessors; only the system calls themselves cross JNI.
 *
 * <p>Threads: one receiving thread; one batching sender ({@link #batchFor}), which may be the
 * receiving thread too (one thread per tunnel, waiting on {@link #descriptor});
 * any other thread's send goes out at once with {@code sendto}. IPv4 only — the
 * JDK socket path ({@link UdpPath}) covers the rest.
 */
public final class MmsgUdpPath implements PacketPath, BatchingPath, PolledPath {
    static final int BATCH = 32;
    private static final int SLOT = 2048;
    private static final int WAKE_MILLIS = 500;
    /** Bytes of a framing prefix (a TURN ChannelData header) written or stripped in place. */
    public static final int PREFIX = 4;

    private final int fd;
    private final InetSocketAddress local;
    private final int maxDatagram;
    private volatile AtomicLong foreign;
    private final ReentrantLock rxLock = new ReentrantLock();
    private final ReentrantLock txLock = new ReentrantLock();

    private final Memory rxVec = new Memory((long) BATCH * UdpSyscalls.MMSGHDR);
    private final Memory rxIov = new Memory((long) BATCH * UdpSyscalls.IOVEC);
    private final Memory rxNames = new Memory((long) BATCH * UdpSyscalls.SOCKADDR_IN);
    private final Memory rxData = new Memory((long) BATCH * SLOT);
    private final ByteBuffer rxVecView = NativeIo.view(rxVec);
    private final ByteBuffer rxNamesView = NativeIo.view(rxNames);
    private final ByteBuffer rxDataView = NativeIo.view(rxData);
    private int rxCount;
    private int rxIndex;
    private int rxTimeout = -1;
    private int lastIp;
    private int lastPort;
    private boolean lastStripped;
    private final Memory timeval = new Memory(16);

    private final Memory txVec = new Memory((long) BATCH * UdpSyscalls.MMSGHDR);
    private final Memory txIov = new Memory((long) BATCH * UdpSyscalls.IOVEC);
    private final Memory txData = new Memory((long) BATCH * SLOT);
    private final ByteBuffer txIovView = NativeIo.view(txIov);
    private final ByteBuffer txVecView = NativeIo.view(txVec);
    /** One UDP_SEGMENT control message per mmsghdr slot. */
    private final Memory txCtl = new Memory((long) BATCH * UdpSyscalls.CMSG_GSO_SPACE);
    private final ByteBuffer txCtlView = NativeIo.view(txCtl);
    private final long txIovAddress = Pointer.nativeValue(txIov);
    private final long txCtlAddress = Pointer.nativeValue(txCtl);
    /** UDP segmentation offload (Linux 4.18+): cleared for good if the kernel refuses it. */
    private boolean gso = true;
    private final ByteBuffer txDataView = NativeIo.view(txData);
    private final Memory direct = new Memory(SLOT);
    private final long directAddress = Pointer.nativeValue(direct);
    private final long rxVecAddress = Pointer.nativeValue(rxVec);
    private final long txVecAddress = Pointer.nativeValue(txVec);
    private final ByteBuffer directView = NativeIo.view(direct);
    private int txCount;
    /** Records per message of the last {@link #describe}. */
    private final int[] runs = new int[BATCH];
    /** Per queued slot: it holds small records only and takes more up to {@link #joinLimit}. */
    private final boolean[] joinable = new boolean[BATCH];
    private final int[] joinLimit = new int[BATCH];

    private volatile Memory peerName;
    private volatile long peerNameAddress;
    private volatile InetSocketAddress peer;
    private int peerAddrInt;
    private int peerPort;
    private volatile Thread batcher;
    private volatile boolean closed;
    private final AtomicBoolean closing = new AtomicBoolean();
    private boolean fdClosed;

    private MmsgUdpPath(int fd, InetSocketAddress local, int pathMtu, AtomicLong foreign) {
        this.fd = fd;
        this.local = local;
        this.maxDatagram = pathMtu - UdpPath.IP_UDP_OVERHEAD;
        this.foreign = foreign;
        for (int i = 0; i < BATCH; i++) {
            long h = (long) i * UdpSyscalls.MMSGHDR;
            rxIov.setPointer((long) i * UdpSyscalls.IOVEC, rxData.share((long) i * SLOT));
            rxVec.setPointer(h + UdpSyscalls.MSG_NAME, rxNames.share((long) i * UdpSyscalls.SOCKADDR_IN));
            rxVec.setPointer(h + UdpSyscalls.MSG_IOV, rxIov.share((long) i * UdpSyscalls.IOVEC));
            rxVec.setLong(h + UdpSyscalls.MSG_IOVLEN, 1);
            rxVec.setInt(h + UdpSyscalls.MSG_NAMELEN, UdpSyscalls.SOCKADDR_IN);
            // The kernel reads iov_len but never writes it: set once.
            rxIov.setLong((long) i * UdpSyscalls.IOVEC + 8, SLOT);
            rxVec.setPointer(h + 32, Pointer.NULL);
            rxVec.setLong(h + 40, 0);
            txIov.setPointer((long) i * UdpSyscalls.IOVEC, txData.share((long) i * SLOT));
            txVec.setPointer(h + UdpSyscalls.MSG_IOV, txIov.share((long) i * UdpSyscalls.IOVEC));
            txVec.setLong(h + UdpSyscalls.MSG_IOVLEN, 1);
            txVec.setPointer(h + 32, Pointer.NULL);
            txVec.setLong(h + 40, 0);
            txVec.setInt(h + UdpSyscalls.MSG_FLAGS, 0);
            long c = (long) i * UdpSyscalls.CMSG_GSO_SPACE;
            txCtl.setLong(c, UdpSyscalls.CMSG_GSO_LEN);
            txCtl.setInt(c + 8, UdpSyscalls.SOL_UDP);
            txCtl.setInt(c + 12, UdpSyscalls.UDP_SEGMENT);
        }
    }


    /** Binds a socket on {@code bind} (an IPv4 address; port 0 for any). */
    public static MmsgUdpPath open(InetSocketAddress bind, int pathMtu, AtomicLong foreign) throws IOException {
        if (!(bind.getAddress() instanceof Inet4Address)) {
            throw new IOException("batched UDP path is IPv4 only: " + bind);
        }
        int fd = UdpSyscalls.socket(UdpSyscalls.AF_INET, UdpSyscalls.SOCK_DGRAM | UdpSyscalls.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw new SocketException("socket: errno " + UdpSyscalls.errno());
        }
        try {
            Memory sa = sockaddr(bind.getAddress(), bind.getPort());
            if (UdpSyscalls.bind(fd, sa, UdpSyscalls.SOCKADDR_IN) < 0) {
                throw new SocketException("bind " + bind + ": errno " + UdpSyscalls.errno());
            }
            Memory size = new Memory(4);
            size.setInt(0, 4 << 20);
            // Room for bursts while a thread is descheduled; capped by net.core.[rw]mem_max.
            UdpSyscalls.setsockopt(fd, UdpSyscalls.SOL_SOCKET, UdpSyscalls.SO_RCVBUF, size, 4);
            UdpSyscalls.setsockopt(fd, UdpSyscalls.SOL_SOCKET, UdpSyscalls.SO_SNDBUF, size, 4);
            Memory len = new Memory(4);
            len.setInt(0, UdpSyscalls.SOCKADDR_IN);
            if (UdpSyscalls.getsockname(fd, sa, len) < 0) {
                throw new SocketException("getsockname: errno " + UdpSyscalls.errno());
            }
            int port = ((sa.getByte(2) & 0xFF) << 8) | (sa.getByte(3) & 0xFF);
            return new MmsgUdpPath(fd, new InetSocketAddress(bind.getAddress(), port), pathMtu, foreign);
        } catch (IOException | RuntimeException e) {
            UdpSyscalls.close(fd);
            throw e;
        }
    }

    /** Where datagrams from strangers are counted (the tunnel's counter, known only at connect). */
    public void countForeignIn(AtomicLong counter) {
        this.foreign = counter;
    }

    /** Sets the one address this path talks to; datagrams from any other are counted and dropped. */
    public void setPeer(InetSocketAddress address) throws IOException {
        if (!(address.getAddress() instanceof Inet4Address)) {
            throw new IOException("peer is not IPv4: " + address);
        }
        byte[] a = address.getAddress().getAddress();
        peerAddrInt = ((a[0] & 0xFF) << 24) | ((a[1] & 0xFF) << 16) | ((a[2] & 0xFF) << 8) | (a[3] & 0xFF);
        peerPort = address.getPort();
        Memory name = sockaddr(address.getAddress(), address.getPort());
        peerNameAddress = Pointer.nativeValue(name);
        peerName = name;
        peer = address;
        for (int i = 0; i < BATCH; i++) {
            long h = (long) i * UdpSyscalls.MMSGHDR;
            txVec.setPointer(h + UdpSyscalls.MSG_NAME, peerName);
            txVec.setInt(h + UdpSyscalls.MSG_NAMELEN, UdpSyscalls.SOCKADDR_IN);
        }
    }

    /**
     * Points the path at another address while it runs (a relayed tunnel moving onto its own TURN
     * allocation): records already queued for the old address are sent there first.
     */
    public void retarget(InetSocketAddress address) throws IOException {
        txLock.lock();
        try {
            flushLocked();
            setPeer(address);
        } finally {
            txLock.unlock();
        }
    }

    private static Memory sockaddr(InetAddress address, int port) {
        Memory sa = new Memory(UdpSyscalls.SOCKADDR_IN);
        sa.clear();
        sa.setShort(0, (short) UdpSyscalls.AF_INET);
        sa.setByte(2, (byte) (port >>> 8));
        sa.setByte(3, (byte) port);
        sa.write(4, address.getAddress(), 0, 4);
        return sa;
    }

    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
        return receive(buf, off, len, waitMillis, true, -1);
    }

    /**
     * Receives one datagram from anyone (ICE checks, a TURN server's answers); its sender
     * is then {@link #lastSenderIp()} / {@link #lastSenderPort()}. Same thread as {@link #receive}.
     */
    public int receiveAny(byte[] buf, int off, int len, int waitMillis) throws IOException {
        return receive(buf, off, len, waitMillis, false, -1);
    }

    /**
     * As {@link #receiveAny}, but a datagram from the peer that starts with a 4-byte prefix whose
     * first two bytes are {@code tag} and whose next two give a length that fits the datagram (up
     * to 3 bytes of padding after it: a TURN ChannelData frame on channel {@code tag}) is delivered
     * without its prefix, straight from the socket's slot: {@link #lastStripped()} then says so.
     * Anything else is delivered whole.
     */
    public int receiveStripping(byte[] buf, int off, int len, int waitMillis, int tag) throws IOException {
        return receive(buf, off, len, waitMillis, false, tag);
    }

    /** Whether the last {@link #receiveStripping} removed the prefix. */
    public boolean lastStripped() {
        return lastStripped;
    }

    /** IPv4 address of the last datagram's sender, as a big-endian int. */
    public int lastSenderIp() {
        return lastIp;
    }

    public int lastSenderPort() {
        return lastPort;
    }

    /** Sends one datagram to {@code to} at once (STUN, TURN requests), whoever the peer is. */
    public void sendTo(byte[] buf, int off, int len, InetSocketAddress to) throws IOException {
        if (len > SLOT || !(to.getAddress() instanceof Inet4Address)) {
            throw new IOException("cannot send " + len + " bytes to " + to);
        }
        Memory name = sockaddr(to.getAddress(), to.getPort());
        txLock.lock();
        try {
            if (closed) {
                throw new SocketException("socket closed");
            }
            direct.write(0, buf, off, len);
            if (UdpSyscalls.sendto(fd, direct, len, 0, name, UdpSyscalls.SOCKADDR_IN) < 0) {
                throw new SocketException("sendto " + to + ": errno " + UdpSyscalls.errno());
            }
        } finally {
            txLock.unlock();
        }
    }

    private int receive(byte[] buf, int off, int len, int waitMillis, boolean peerOnly, int tag)
            throws IOException {
        rxLock.lock();
        try {
            while (true) {
                if (closed) {
                    throw new SocketException("socket closed");
                }
                while (rxIndex < rxCount) {
                    int i = rxIndex++;
                    int h = i * UdpSyscalls.MMSGHDR;
                    int name = i * UdpSyscalls.SOCKADDR_IN;
                    // The kernel shortens msg_namelen to what it wrote; restore it for the next call.
                    rxVecView.putInt(h + UdpSyscalls.MSG_NAMELEN, UdpSyscalls.SOCKADDR_IN);
                    int port = ((rxNamesView.get(name + 2) & 0xFF) << 8) | (rxNamesView.get(name + 3) & 0xFF);
                    int addr = rxNamesView.getInt(name + 4);
                    if (peerOnly && (port != peerPort || Integer.reverseBytes(addr) != peerAddrInt)) {
                        foreign.incrementAndGet();
                        continue;
                    }
                    lastIp = Integer.reverseBytes(addr);
                    lastPort = port;
                    // A datagram cut short (larger than a slot or than the caller's buffer)
                    // fails the record framing check above us and is counted there.
                    int size = Math.min(rxVecView.getInt(h + UdpSyscalls.MSG_LEN), SLOT);
                    int start = i * SLOT;
                    lastStripped = false;
                    if (tag >= 0 && size >= PREFIX && lastIp == peerAddrInt && port == peerPort) {
                        int got = ((rxDataView.get(start) & 0xFF) << 8) | (rxDataView.get(start + 1) & 0xFF);
                        int length = ((rxDataView.get(start + 2) & 0xFF) << 8) | (rxDataView.get(start + 3) & 0xFF);
                        if (got == tag && PREFIX + length <= size && size - PREFIX - length <= 3) {
                            lastStripped = true;
                            int n = Math.min(length, len);
                            rxDataView.get(start + PREFIX, buf, off, n);
                            return n;
                        }
                    }
                    int n = Math.min(size, len);
                    rxDataView.get(start, buf, off, n);
                    return n;
                }
                if (!fill(waitMillis)) {
                    return -1;
                }
            }
        } finally {
            rxLock.unlock();
        }
    }

    @Override
    public int descriptor() {
        return fd;
    }

    @Override
    public boolean readyNow() throws IOException {
        rxLock.lock();
        try {
            // After shutdown (nothing more, or 0 from the kernel) the receive that follows reports it.
            return closed || rxIndex < rxCount || receiveBatch(UdpSyscalls.MSG_DONTWAIT) >= 0;
        } finally {
            rxLock.unlock();
        }
    }

    @Override
    public boolean readyBuffered() throws IOException {
        rxLock.lock();
        try {
            return closed || rxIndex < rxCount || (rxCount == BATCH && receiveBatch(UdpSyscalls.MSG_DONTWAIT) >= 0);
        } finally {
            rxLock.unlock();
        }
    }

    /** One recvmmsg; false on timeout. */
    private boolean fill(int waitMillis) throws IOException {
        int timeout = Math.max(1, Math.min(waitMillis, WAKE_MILLIS));
        if (timeout != rxTimeout) {
            timeval.setLong(0, timeout / 1000);
            timeval.setLong(8, (timeout % 1000) * 1000L);
            UdpSyscalls.setsockopt(fd, UdpSyscalls.SOL_SOCKET, UdpSyscalls.SO_RCVTIMEO, timeval, 16);
            rxTimeout = timeout;
        }
        int n = receiveBatch(UdpSyscalls.MSG_WAITFORONE);
        if (n == 0 && closed) {
            throw new SocketException("socket closed");
        }
        return n > 0;
    }

    /** recvmmsg into the slots: datagrams received, 0 after shutdown, -1 if none came (or a signal). */
    private int receiveBatch(int flags) throws IOException {
        int n = NativeIo.LOADED ? NativeIo.recvmmsg(fd, rxVecAddress, BATCH, flags)
                : UdpSyscalls.recvmmsg(fd, rxVec, BATCH, flags, Pointer.NULL);
        if (n < 0) {
            int err = NativeIo.LOADED ? NativeIo.errno(n) : UdpSyscalls.errno();
            if (err == UdpSyscalls.EAGAIN || err == UdpSyscalls.EINTR) {
                return -1;
            }
            throw new SocketException("recvmmsg: errno " + err);
        }
        rxCount = n;
        rxIndex = 0;
        return n;
    }

    @Override
    public void send(byte[] buf, int off, int len) throws IOException {
        send(false, 0, buf, off, len, 0);
    }

    /**
     * As {@link #send} (or {@link #sendPrefixed} when {@code prefixed}: a ChannelData header for
     * {@code channel}), but a small record may share one datagram with the small records queued
     * just before it, up to {@code limit} bytes in all (the prefix's length then covers them all):
     * a relay pays per datagram, and a TCP flow's ACKs come in runs. The receiver splits them by
     * their record headers. Only from the batching thread; others send at once, alone.
     */
    public void sendJoining(boolean prefixed, int channel, byte[] buf, int off, int len, int limit)
            throws IOException {
        send(prefixed, channel << 16 | len, buf, off, len, limit);
    }

    /**
     * Sends {@code len} bytes behind a 4-byte big-endian {@code prefix} (a TURN ChannelData
     * header), written straight into the outgoing slot: the caller needs no framed copy.
     */
    public void sendPrefixed(int prefix, byte[] buf, int off, int len) throws IOException {
        send(true, prefix, buf, off, len, 0);
    }

    private void send(boolean prefixed, int prefix, byte[] buf, int off, int len, int limit) throws IOException {
        int head = prefixed ? PREFIX : 0;
        if (head + len > SLOT) {
            throw new IOException("datagram of " + (head + len) + " bytes exceeds " + SLOT);
        }
        txLock.lock();
        try {
            if (closed) {
                throw new SocketException("socket closed");
            }
            if (Thread.currentThread() == batcher) {
                if (limit > 0 && txCount > 0 && joinable[txCount - 1]) {
                    int last = txCount - 1;
                    int at = last * SLOT;
                    int used = (int) txIovView.getLong(last * UdpSyscalls.IOVEC + 8);
                    if (used + len <= Math.min(joinLimit[last], SLOT)) {
                        txDataView.put(at + used, buf, off, len);
                        txIovView.putLong(last * UdpSyscalls.IOVEC + 8, used + len);
                        if (prefixed) {
                            int payload = used + len - PREFIX;
                            txDataView.put(at + 2, (byte) (payload >>> 8));
                            txDataView.put(at + 3, (byte) payload);
                        }
                        return;
                    }
                }
                joinable[txCount] = limit > 0;
                joinLimit[txCount] = limit;
                int slot = txCount * SLOT;
                if (prefixed) {
                    txDataView.putInt(slot, Integer.reverseBytes(prefix));
                }
                txDataView.put(slot + head, buf, off, len);
                txIovView.putLong(txCount * UdpSyscalls.IOVEC + 8, head + len);
                txCount++;
                if (txCount == BATCH) {
                    flushLocked();
                }
                return;
            }
            if (prefixed) {
                directView.putInt(0, Integer.reverseBytes(prefix));
            }
            directView.put(head, buf, off, len);
            if (NativeIo.LOADED) {
                long rc = NativeIo.sendto(fd, directAddress, head + len, 0, peerNameAddress, UdpSyscalls.SOCKADDR_IN);
                if (rc < 0) {
                    throw new SocketException("sendto: errno " + NativeIo.errno(rc));
                }
            } else if (UdpSyscalls.sendto(fd, direct, head + len, 0, peerName, UdpSyscalls.SOCKADDR_IN) < 0) {
                throw new SocketException("sendto: errno " + UdpSyscalls.errno());
            }
        } finally {
            txLock.unlock();
        }
    }

    /**
     * Writes what {@link LoneHop}'s native code needs of this socket into its struct: the
     * descriptor and the first receive slot (header, data, sender's address).
     */
    void describeForHop(ByteBuffer hop) {
        hop.putInt(LoneHop.UDP_FD, fd);
        hop.putLong(LoneHop.RX_VEC, rxVecAddress);
        hop.putLong(LoneHop.RX_DATA, Pointer.nativeValue(rxData));
        hop.putLong(LoneHop.RX_NAME, Pointer.nativeValue(rxNames));
        hop.putInt(LoneHop.SLOT_SIZE, SLOT);
    }

    /** The first receive slot's data, where a hop leaves what it opened. */
    ByteBuffer hopSlot() {
        return rxDataView;
    }

    /** The peer's address as the kernel writes a sender's (sockaddr_in), for the hop's route. */
    int peerIp() {
        return peerAddrInt;
    }

    int peerPortNumber() {
        return peerPort;
    }

    /**
     * Runs one hop ({@link NativeIo#hop}) under the receive lock, so {@link #close} never closes
     * the descriptor under it; the socket's first slot must be free (nothing buffered), else the
     * call says the socket is ready without waiting.
     */
    long runHop(long hop, long timeoutNanos, boolean tapFirst) throws SocketException {
        rxLock.lock();
        try {
            if (closed) {
                throw new SocketException("socket closed");
            }
            if (rxIndex < rxCount) {
                return LoneHop.SOCKET_READY;
            }
            return NativeIo.hop(hop, timeoutNanos, tapFirst);
        } finally {
            rxLock.unlock();
        }
    }

    /** The datagram a hop left in the first slot is received as if by {@link #receive}'s own call. */
    void adoptHopDatagram() {
        rxLock.lock();
        try {
            rxCount = 1;
            rxIndex = 0;
        } finally {
            rxLock.unlock();
        }
    }

    @Override
    public void batchFor(Thread sender) {
        this.batcher = sender;
    }

    @Override
    public void flush() throws IOException {
        txLock.lock();
        try {
            flushLocked();
        } finally {
            txLock.unlock();
        }
    }

    /**
     * Hands the queued records to the kernel. Consecutive records of equal size go as one
     * message with a UDP_SEGMENT control message: the kernel builds one buffer and cuts it
     * into the same datagrams on the wire, instead of running the whole UDP/IP send path
     * once per record. Bulk traffic is exactly that: runs of full-size records.
     */
    private void flushLocked() throws IOException {
        int record = 0;
        try {
            while (record < txCount && !closed) {
                int messages = describe(record);
                int n = NativeIo.LOADED ? NativeIo.sendmmsg(fd, txVecAddress, messages, 0)
                        : UdpSyscalls.sendmmsg(fd, txVec, messages, 0);
                if (n < 0) {
                    int err = NativeIo.LOADED ? NativeIo.errno(n) : UdpSyscalls.errno();
                    if (err == UdpSyscalls.EINTR) {
                        continue;
                    }
                    if (gso && (err == UdpSyscalls.EIO || err == UdpSyscalls.EINVAL)) {
                        // This kernel or device cannot segment UDP: one datagram per message from now on.
                        gso = false;
                        continue;
                    }
                    // The batch is lost (e.g. ENOBUFS); the caller counts the drop.
                    throw new SocketException("sendmmsg: errno " + err);
                }
                record = advance(record, n);
            }
        } finally {
            txCount = 0;
        }
    }

    /**
     * Fills the mmsghdr array for the queued records from {@code first} on: one message
     * per run of equal-sized records (one per record without GSO). Returns the count.
     */
    private int describe(int first) {
        int messages = 0;
        int r = first;
        while (r < txCount) {
            int len = (int) txIovView.getLong(r * UdpSyscalls.IOVEC + 8);
            int run = 1;
            if (gso) {
                while (r + run < txCount && run < UdpSyscalls.GSO_MAX_SEGMENTS
                        && (run + 1) * len <= UdpSyscalls.GSO_MAX_BYTES
                        && txIovView.getLong((r + run) * UdpSyscalls.IOVEC + 8) == len) {
                    run++;
                }
            }
            int h = messages * UdpSyscalls.MMSGHDR;
            txVecView.putLong(h + UdpSyscalls.MSG_IOV, txIovAddress + (long) r * UdpSyscalls.IOVEC);
            txVecView.putLong(h + UdpSyscalls.MSG_IOVLEN, run);
            if (run > 1) {
                int c = messages * UdpSyscalls.CMSG_GSO_SPACE;
                txCtlView.putShort(c + 16, (short) len);
                txVecView.putLong(h + UdpSyscalls.MSG_CONTROL, txCtlAddress + c);
                txVecView.putLong(h + UdpSyscalls.MSG_CONTROLLEN, UdpSyscalls.CMSG_GSO_SPACE);
            } else {
                txVecView.putLong(h + UdpSyscalls.MSG_CONTROL, 0);
                txVecView.putLong(h + UdpSyscalls.MSG_CONTROLLEN, 0);
            }
            runs[messages++] = run;
            r += run;
        }
        return messages;
    }

    /** The record index after the first {@code sentMessages} messages of the last {@link #describe}. */
    private int advance(int first, int sentMessages) {
        int r = first;
        for (int m = 0; m < sentMessages; m++) {
            r += runs[m];
        }
        return r;
    }

    @Override
    public MmsgUdpPath hopSocket() {
        return this;
    }

    @Override
    public int maxDatagram() {
        return maxDatagram;
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return peer;
    }

    /**
     * Wakes a blocked receiver (shutdown) and closes the descriptor once no
     * thread is inside a system call on it, so a recycled descriptor number can
     * never receive our traffic. Only the first call does anything: a later one
     * must not shut down whatever socket has the number by then (another
     * tunnel's; a unit test's socket pair showed it).
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        closed = true;
        UdpSyscalls.shutdown(fd, UdpSyscalls.SHUT_RDWR);
        rxLock.lock();
        txLock.lock();
        try {
            if (!fdClosed) {
                fdClosed = true;
                UdpSyscalls.close(fd);
            }
        } finally {
            txLock.unlock();
            rxLock.unlock();
        }
    }
}
