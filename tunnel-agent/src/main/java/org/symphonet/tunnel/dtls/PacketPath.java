package org.symphonet.tunnel.dtls;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The datagram path DTLS runs over: a plain UDP socket pinned to the peer, or the
 * pair ICE selected. Receive delivers only datagrams from the peer; everything
 * else is dropped (and counted) below this interface.
 */
public interface PacketPath extends AutoCloseable {

    /**
     * Receives one datagram from the peer.
     *
     * @return its length, or -1 if nothing arrived within {@code waitMillis}
     *     (or a datagram was dropped; callers simply retry)
     */
    int receive(byte[] buf, int off, int len, int waitMillis) throws IOException;

    void send(byte[] buf, int off, int len) throws IOException;

    /**
     * Largest datagram payload that crosses the path unfragmented: the path MTU
     * minus IP, UDP and any relay framing.
     */
    int maxDatagram();

    InetSocketAddress localAddress();

    InetSocketAddress remoteAddress();

    /**
     * A faster path from the same local address to the same peer, which replaces this
     * one: after the call only the returned path may be used (it may be this one, when
     * there is nothing faster). Called once, after the DTLS handshake, while no other
     * thread uses the path.
     *
     * @param foreign counter for datagrams from addresses that are not the peer
     */
    default PacketPath takeOver(AtomicLong foreign) throws IOException {
        return this;
    }

    /**
     * The batched socket a {@link LoneHop} may carry this path's next datagram on, right now, or
     * null (no such socket, or records already buffered above it). Same thread as receive.
     */
    default MmsgUdpPath hopSocket() throws IOException {
        return null;
    }

    /** TURN channel of the current route for {@link #hopSocket} (0: none, datagrams go as they are). */
    default int hopChannel() {
        return 0;
    }

    @Override
    void close();
}
