package org.symphonet.tunnel.dtls;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A plain UDP socket used toward one known peer address. Deliberately not
 * {@code connect()}ed: datagrams from other sources must reach user space so they
 * can be counted ({@code rxForeign}) instead of vanishing in the kernel.
 *
 * <p>Receive is single-threaded (the receive thread); sends come from several
 * threads but always under Bouncy Castle's record-layer write lock, and are
 * additionally serialized here so the reused send packet is never shared.
 */
public final class UdpPath implements PacketPath {
    /** IPv6 (40) + UDP (8): the worst case, so one setting serves both families. */
    static final int IP_UDP_OVERHEAD = 48;

    private final DatagramSocket socket;
    private final InetSocketAddress peer;
    private final int maxDatagram;
    private final AtomicLong foreign;
    private final TimedReceiver receiver;
    private final DatagramPacket sendPacket;

    public UdpPath(DatagramSocket socket, InetSocketAddress peer, int pathMtu, AtomicLong foreignCounter) {
        this.socket = socket;
        this.receiver = new TimedReceiver(socket);
        this.peer = peer;
        this.maxDatagram = pathMtu - IP_UDP_OVERHEAD;
        this.foreign = foreignCounter;
        this.sendPacket = new DatagramPacket(new byte[0], 0, peer);
    }

    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
        int n = receiver.receive(buf, off, len, waitMillis);
        if (n >= 0 && !receiver.lastFrom(peer)) {
            foreign.incrementAndGet();
            return -1;
        }
        return n;
    }

    @Override
    public void send(byte[] buf, int off, int len) throws IOException {
        synchronized (sendPacket) {
            sendPacket.setData(buf, off, len);
            socket.send(sendPacket);
        }
    }

    @Override
    public int maxDatagram() {
        return maxDatagram;
    }

    @Override
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return peer;
    }

    @Override
    public void close() {
        socket.close();
    }
}
