package org.symphonet.tunnel.dtls;

import java.io.IOException;
import java.net.InetSocketAddress;

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

    @Override
    void close();
}
