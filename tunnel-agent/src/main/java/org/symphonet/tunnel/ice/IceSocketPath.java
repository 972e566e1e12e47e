package org.symphonet.tunnel.ice;

import java.io.IOException;
import java.net.InetSocketAddress;
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
    /** The address datagrams go to and come from: the peer, or our TURN server. */
    private final int hopIp;
    private final int hopPort;
    /** 0 in direct mode; else the channel number bound to the peer. */
    private final int channel;
    private final AtomicLong foreign;
    /** Either end relays: both ends keep records 4 bytes short, so the framed leg fits the path too. */
    private final boolean relayedPair;

    IceSocketPath(MmsgUdpPath socket, IceSession session, InetSocketAddress local, InetSocketAddress remote,
                  InetSocketAddress hop, int channel, boolean relayedPair, AtomicLong foreign) throws IOException {
        this.socket = socket;
        this.relayedPair = relayedPair;
        this.session = session;
        this.local = local;
        this.remote = remote;
        this.channel = channel;
        this.foreign = foreign;
        this.hopIp = IceSession.ipv4(hop);
        this.hopPort = hop.getPort();
        socket.setPeer(hop);
        socket.countForeignIn(foreign);
    }

    /**
     * One datagram per call: a record is returned; anything else (STUN for the session, strangers)
     * is handled or counted and the call returns -1 at once, as for a dropped datagram, so the
     * tunnel's loop never waits here for a second datagram that poll(2) did not promise.
     */
    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
        if (channel != 0) {
            return receiveFramed(buf, off, len, waitMillis);
        }
        int n = socket.receiveAny(buf, off, len, waitMillis);
        if (n <= 0) {
            return -1;
        }
        boolean fromHop = socket.lastSenderIp() == hopIp && socket.lastSenderPort() == hopPort;
        int first = buf[off] & 0xFF;
        if (fromHop && first >= 20 && first < 64) {
            return n;
        }
        if (first < 4) {
            // STUN, or ChannelData carrying STUN: the session answers checks and refresh replies.
            session.onDatagram(java.util.Arrays.copyOfRange(buf, off, off + n), n, sender());
        } else {
            foreign.incrementAndGet();
        }
        return -1;
    }

    /**
     * Relayed: the socket strips the ChannelData header of frames on our channel from the relay
     * as it copies them out of its slot, so a record lands in the caller's buffer in one copy.
     */
    private int receiveFramed(byte[] buf, int off, int len, int waitMillis) throws IOException {
        int n = socket.receiveStripping(buf, off, len, waitMillis, channel);
        if (n < 0) {
            return -1;
        }
        int first = n > 0 ? buf[off] & 0xFF : -1;
        if (socket.lastStripped()) {
            if (first >= 20 && first < 64) {
                return n;
            }
            // Not a record (the peer's checks through the relay): the session sees the frame as it came.
            byte[] frame = new byte[ChannelData.HEADER + n];
            ChannelData.writeHeader(frame, 0, channel, n);
            System.arraycopy(buf, off, frame, ChannelData.HEADER, n);
            session.onDatagram(frame, frame.length, sender());
            return -1;
        }
        boolean fromHop = socket.lastSenderIp() == hopIp && socket.lastSenderPort() == hopPort;
        if ((first >= 0 && first < 4) || (fromHop && first >= 64 && first < 80)) {
            // STUN, or ChannelData on another channel: the session answers checks and refresh replies.
            session.onDatagram(java.util.Arrays.copyOfRange(buf, off, off + n), n, sender());
        } else {
            foreign.incrementAndGet();
        }
        return -1;
    }

    @Override
    public int descriptor() {
        return socket.descriptor();
    }

    @Override
    public boolean readyNow() throws IOException {
        return socket.readyNow();
    }

    @Override
    public boolean readyBuffered() throws IOException {
        return socket.readyBuffered();
    }

    @Override
    public void send(byte[] buf, int off, int len) throws IOException {
        if (channel == 0) {
            socket.send(buf, off, len);
        } else {
            // The header goes straight into the socket's outgoing slot, in front of the record.
            socket.sendPrefixed(channel << 16 | len, buf, off, len);
        }
    }

    private InetSocketAddress sender() {
        return IceSession.address(socket.lastSenderIp(), socket.lastSenderPort());
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
