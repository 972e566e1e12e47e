package org.symphonet.tunnel.dtls;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;

/**
 * Bounded-wait receive on a {@link DatagramSocket} into the caller's buffer, reusing one packet
 * object and touching the socket timeout only when the wait changes (each change is a syscall).
 * One reader thread per instance.
 */
public final class TimedReceiver {
    private final DatagramSocket socket;
    private final DatagramPacket packet = new DatagramPacket(new byte[0], 0);
    private int currentTimeout = -1;

    public TimedReceiver(DatagramSocket socket) {
        this.socket = socket;
    }

    /** Bytes received, or -1 when nothing arrived within {@code waitMillis}. */
    public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
        int timeout = Math.max(1, waitMillis);
        if (timeout != currentTimeout) {
            socket.setSoTimeout(timeout);
            currentTimeout = timeout;
        }
        packet.setData(buf, off, len);
        try {
            socket.receive(packet);
        } catch (SocketTimeoutException e) {
            return -1;
        }
        return packet.getLength();
    }

    /** True when the last received datagram came from {@code peer}. */
    public boolean lastFrom(InetSocketAddress peer) {
        return packet.getPort() == peer.getPort() && packet.getAddress().equals(peer.getAddress());
    }
}
