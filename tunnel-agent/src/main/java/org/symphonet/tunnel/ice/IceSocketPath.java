package org.symphonet.tunnel.ice;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.symphonet.tunnel.dtls.BatchingPath;
import org.symphonet.tunnel.dtls.MmsgUdpPath;
import org.symphonet.tunnel.dtls.PacketPath;
import org.symphonet.tunnel.dtls.PolledPath;
import org.symphonet.tunnel.ice.stun.ChannelData;

/**
 * The selected ICE pair on the tunnel's own batched socket, the one ICE gathered and
 * checked on: a framing and demultiplexing layer over {@link MmsgUdpPath}.
 *
 * <p>Direct mode: datagrams go to the peer as they are. Relayed mode (our local
 * candidate is a TURN allocation): every datagram goes to the TURN server in a
 * ChannelData frame (4 bytes) on the channel bound to the peer, and ChannelData on
 * that channel is unwrapped on the way in. Everything else that arrives — STUN
 * (the peer's checks, TURN answers to refreshes), by RFC 7983's first byte — goes
 * to the {@link IceSession}, which answers it; strangers are counted.
 *
 * <p>It is a {@link PolledPath} (the socket's descriptor): an ICE tunnel runs on one thread
 * that waits on its TAP and this socket together, like a direct one.
 */
final class IceSocketPath implements PacketPath, BatchingPath, PolledPath {
    private final MmsgUdpPath socket;
    private final IceSession session;
    private final InetSocketAddress remote;
    private final InetSocketAddress local;
    /** Where our datagrams go: the peer, a peer's relay, or our TURN server with a channel. */
    private volatile Route route;
    /** A route the session chose, applied by the data thread at its next send or receive. */
    private volatile Route next;
    /** The peer's relayed addresses: it may send its records through its own allocation (RelayRoutes). */
    private final int[] relayIps;
    private final int[] relayPorts;
    private final AtomicLong foreign;
    /** Either end relays: both ends keep records 4 bytes short, so the framed leg fits the path too. */
    private final boolean relayedPair;
    /** Records up to this size may share a datagram once the peer splits them ({@link #joinSmallRecords}). */
    static final int SMALL_RECORD = 256;
    private volatile boolean joining;
    /** Records that came in one datagram behind the one last returned; the data thread's only. */
    private final byte[] leftover = new byte[2048];
    private int leftoverPos;
    private int leftoverEnd;

    /** The address datagrams go to and come from; {@code channel} 0 (direct) or the TURN channel bound to the peer. */
    private record Route(InetSocketAddress hop, int ip, int port, int channel) {
        Route(InetSocketAddress hop, int channel) {
            this(hop, IceSession.ipv4(hop), hop.getPort(), channel);
        }
    }

    IceSocketPath(MmsgUdpPath socket, IceSession session, InetSocketAddress local, InetSocketAddress remote,
                  InetSocketAddress hop, int channel, boolean relayedPair, AtomicLong foreign,
                  List<InetSocketAddress> peerRelays) throws IOException {
        this.socket = socket;
        this.relayedPair = relayedPair;
        this.session = session;
        this.local = local;
        this.remote = remote;
        this.foreign = foreign;
        this.route = new Route(hop, channel);
        this.relayIps = new int[peerRelays.size()];
        this.relayPorts = new int[peerRelays.size()];
        for (int i = 0; i < relayIps.length; i++) {
            relayIps[i] = IceSession.ipv4(peerRelays.get(i));
            relayPorts[i] = peerRelays.get(i).getPort();
        }
        socket.setPeer(hop);
        socket.countForeignIn(foreign);
    }

    /**
     * Our data goes to {@code hop} in TURN channel {@code channel} from now on (the session found
     * the route through our own allocation). Any thread; the data thread applies it.
     */
    void reroute(InetSocketAddress hop, int channel) {
        next = new Route(hop, channel);
    }

    /**
     * Small records may share a datagram from now on: the peer splits a datagram into its records
     * (it said so in ICE). Through a TURN server that halves what a bulk flow's ACKs cost it.
     */
    void joinSmallRecords() {
        joining = true;
    }

    /** On the data thread: records queued for the old hop leave first, then the socket turns. */
    private Route current() throws IOException {
        Route n = next;
        if (n != null) {
            next = null;
            socket.retarget(n.hop());
            route = n;
        }
        return route;
    }

    /**
     * One datagram per call: a record is returned; anything else (STUN for the session, strangers)
     * is handled or counted and the call returns -1 at once, as for a dropped datagram, so the
     * tunnel's loop never waits here for a second datagram that poll(2) did not promise.
     *
     * <p>Records come from the hop (the peer, or our TURN server on our channel: the socket strips
     * the ChannelData header as it copies the record out of its slot) or from one of the peer's
     * relayed addresses (the peer sends through its own allocation).
     */
    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
        if (leftoverPos < leftoverEnd) {
            return nextLeftover(buf, off, len);
        }
        Route r = current();
        int n = socket.receiveStripping(buf, off, len, waitMillis, r.channel() != 0 ? r.channel() : -1);
        if (n < 0) {
            return -1;
        }
        int first = n > 0 ? buf[off] & 0xFF : -1;
        if (socket.lastStripped()) {
            if (first >= 20 && first < 64) {
                return split(buf, off, n);
            }
            // Not a record (the peer's checks through the relay): the session sees the frame as it came.
            byte[] frame = new byte[ChannelData.HEADER + n];
            ChannelData.writeHeader(frame, 0, r.channel(), n);
            System.arraycopy(buf, off, frame, ChannelData.HEADER, n);
            session.onDatagram(frame, frame.length, sender());
            return -1;
        }
        int ip = socket.lastSenderIp();
        int port = socket.lastSenderPort();
        boolean fromHop = ip == r.ip() && port == r.port();
        if (first >= 20 && first < 64 && ((fromHop && r.channel() == 0) || fromPeerRelay(ip, port))) {
            return split(buf, off, n);
        }
        if ((first >= 0 && first < 4) || (first >= 64 && first < 80)) {
            // STUN, or ChannelData from one of our TURN servers: checks, answers, refresh replies.
            session.onDatagram(java.util.Arrays.copyOfRange(buf, off, off + n), n, sender());
        } else {
            foreign.incrementAndGet();
        }
        return -1;
    }

    /**
     * A datagram of several records (the peer joined small ones): the first is returned, the rest
     * kept for the next calls. One record per call keeps the DTLS layer's view simple and the
     * tunnel's loop sees them as ready ({@link #readyNow}). Anything that does not parse as whole
     * records is returned as it came, for the record layer's own check to count.
     */
    private int split(byte[] buf, int off, int n) {
        int first = recordLength(buf, off, n);
        if (first <= 0 || first >= n) {
            return n;
        }
        System.arraycopy(buf, off + first, leftover, 0, n - first);
        leftoverPos = 0;
        leftoverEnd = n - first;
        return first;
    }

    private int nextLeftover(byte[] buf, int off, int len) {
        int left = leftoverEnd - leftoverPos;
        int one = recordLength(leftover, leftoverPos, left);
        int n = one > 0 ? one : left;
        if (n > len) {
            leftoverPos = leftoverEnd;
            foreign.incrementAndGet();
            return -1;
        }
        System.arraycopy(leftover, leftoverPos, buf, off, n);
        leftoverPos += n;
        return n;
    }

    /** Bytes of the DTLS record at {@code off} (13-byte header + its length), or -1 if it does not fit. */
    static int recordLength(byte[] b, int off, int n) {
        if (n < 13) {
            return -1;
        }
        int total = 13 + (((b[off + 11] & 0xFF) << 8) | (b[off + 12] & 0xFF));
        return total <= n ? total : -1;
    }

    private boolean fromPeerRelay(int ip, int port) {
        for (int i = 0; i < relayIps.length; i++) {
            if (relayIps[i] == ip && relayPorts[i] == port) {
                return true;
            }
        }
        return false;
    }

    @Override
    public int descriptor() {
        return socket.descriptor();
    }

    @Override
    public boolean readyNow() throws IOException {
        return leftoverPos < leftoverEnd || socket.readyNow();
    }

    @Override
    public boolean readyBuffered() throws IOException {
        return leftoverPos < leftoverEnd || socket.readyBuffered();
    }

    @Override
    public void send(byte[] buf, int off, int len) throws IOException {
        int channel = current().channel();
        if (joining && len <= SMALL_RECORD) {
            // Whole datagram within the path: with the 4-byte header toward our relay, or room for
            // the header the peer's relay adds on its leg to the peer.
            socket.sendJoining(channel != 0, channel, buf, off, len, maxDatagram() + (channel != 0
                    ? ChannelData.HEADER : 0));
        } else if (channel == 0) {
            socket.send(buf, off, len);
        } else {
            // The header goes straight into the socket's outgoing slot, in front of the record.
            socket.sendPrefixed(channel << 16 | len, buf, off, len);
        }
    }

    private InetSocketAddress sender() {
        return IceSession.address(socket.lastSenderIp(), socket.lastSenderPort());
    }

    /** Records left of a joined datagram go first, through {@link #receive}; else the socket, on the current route. */
    @Override
    public MmsgUdpPath hopSocket() throws IOException {
        if (leftoverPos < leftoverEnd) {
            return null;
        }
        current();
        return socket;
    }

    @Override
    public int hopChannel() {
        return route.channel();
    }

    @Override
    public void batchFor(Thread sender) {
        socket.batchFor(sender);
    }

    @Override
    public void flush() throws IOException {
        socket.flush();
    }

    @Override
    public int maxDatagram() {
        return socket.maxDatagram() - (relayedPair ? ChannelData.HEADER : 0);
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public void close() {
        session.close();
    }
}
