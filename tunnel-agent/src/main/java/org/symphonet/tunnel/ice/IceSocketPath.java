package org.symphonet.tunnel.ice;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;

import org.symphonet.tunnel.dtls.BatchingPath;
import org.symphonet.tunnel.dtls.MmsgUdpPath;
import org.symphonet.tunnel.dtls.PacketPath;
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
 */
final class IceSocketPath implements PacketPath, BatchingPath {
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
    private final byte[] scratch = new byte[2048 + ChannelData.HEADER];
    /** Read by the one receiving thread only. */
    private final byte[] rxFrame = new byte[2048 + ChannelData.HEADER];
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

    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
        if (channel != 0) {
            return receiveFramed(buf, off, len, waitMillis);
        }
        while (true) {
            int n = socket.receiveAny(buf, off, len, waitMillis);
            if (n < 0) {
                return -1;
            }
            boolean fromHop = socket.lastSenderIp() == hopIp && socket.lastSenderPort() == hopPort;
            int first = buf[off] & 0xFF;
            if (fromHop && channel == 0 && first >= 20 && first < 64) {
                return n;
            }
            if (first < 4) {
                // STUN, or ChannelData carrying STUN: the session answers checks and refresh replies.
                session.onDatagram(java.util.Arrays.copyOfRange(buf, off, off + n), n,
                        IceSession.address(socket.lastSenderIp(), socket.lastSenderPort()));
                continue;
            }
            foreign.incrementAndGet();
        }
    }

    /**
     * Relayed: a frame is 4 bytes longer than the record in it, so it is read into a
     * buffer of our own (the caller's is sized for records) and the record copied out.
     */
    private int receiveFramed(byte[] buf, int off, int len, int waitMillis) throws IOException {
        while (true) {
            int n = socket.receiveAny(rxFrame, 0, rxFrame.length, waitMillis);
            if (n < 0) {
                return -1;
            }
            boolean fromHop = socket.lastSenderIp() == hopIp && socket.lastSenderPort() == hopPort;
            if (fromHop && ChannelData.looksLikeChannelData(rxFrame, 0, n) && ChannelData.channel(rxFrame, 0) == channel) {
                int payload = ChannelData.payloadLength(rxFrame, 0, n);
                int inner = payload > 0 ? rxFrame[ChannelData.HEADER] & 0xFF : 0;
                if (payload > 0 && inner >= 20 && inner < 64) {
                    // Longer than the caller takes: cut, and the record check above us counts it.
                    int copied = Math.min(payload, len);
                    System.arraycopy(rxFrame, ChannelData.HEADER, buf, off, copied);
                    return copied;
                }
            }
            int first = rxFrame[0] & 0xFF;
            if (first < 4 || (fromHop && first >= 64 && first < 80)) {
                // STUN, or ChannelData carrying STUN: the session answers checks and refresh replies.
                session.onDatagram(java.util.Arrays.copyOf(rxFrame, n), n,
                        IceSession.address(socket.lastSenderIp(), socket.lastSenderPort()));
                continue;
            }
            foreign.incrementAndGet();
        }
    }

    @Override
    public void send(byte[] buf, int off, int len) throws IOException {
        if (channel == 0) {
            socket.send(buf, off, len);
            return;
        }
        synchronized (scratch) {
            ChannelData.writeHeader(scratch, 0, channel, len);
            System.arraycopy(buf, off, scratch, ChannelData.HEADER, len);
            socket.send(scratch, 0, len + ChannelData.HEADER);
        }
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
