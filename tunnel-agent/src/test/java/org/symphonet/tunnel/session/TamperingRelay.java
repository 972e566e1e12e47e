package org.symphonet.tunnel.session;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.Arrays;

/**
 * A UDP relay between two tunnel ends, standing where an attacker on the path
 * stands: it forwards every datagram, and on request injects garbage, truncated
 * or replayed datagrams from the very address the victim expects its peer at.
 */
final class TamperingRelay implements AutoCloseable {
    final DatagramSocket towardA;
    final DatagramSocket towardB;
    private volatile InetSocketAddress a;
    private volatile InetSocketAddress b;
    private volatile byte[] lastToB;
    private final Thread ab;
    private final Thread ba;

    TamperingRelay() throws SocketException {
        towardA = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        towardB = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        ab = new Thread(() -> pump(towardA, towardB, true), "relay-ab");
        ba = new Thread(() -> pump(towardB, towardA, false), "relay-ba");
    }

    void start(InetSocketAddress endA, InetSocketAddress endB) {
        this.a = endA;
        this.b = endB;
        ab.setDaemon(true);
        ba.setDaemon(true);
        ab.start();
        ba.start();
    }

    private void pump(DatagramSocket in, DatagramSocket out, boolean toB) {
        byte[] buf = new byte[65536];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        try {
            while (true) {
                p.setData(buf);
                in.receive(p);
                byte[] data = Arrays.copyOf(buf, p.getLength());
                if (toB) {
                    lastToB = data;
                }
                out.send(new DatagramPacket(data, data.length, toB ? b : a));
            }
        } catch (IOException e) {
            // closed
        }
    }

    void injectToB(byte[] data) throws IOException {
        towardB.send(new DatagramPacket(data, data.length, b));
    }

    byte[] lastToB() {
        return lastToB;
    }

    @Override
    public void close() {
        towardA.close();
        towardB.close();
    }
}
