package org.symphonet.tunnel.dtls;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Two {@link PacketPath}s joined by in-memory queues: DTLS sessions in one JVM without sockets. */
final class MemoryPaths {
    final Path a;
    final Path b;

    MemoryPaths(int maxDatagram) {
        BlockingQueue<byte[]> toA = new LinkedBlockingQueue<>();
        BlockingQueue<byte[]> toB = new LinkedBlockingQueue<>();
        a = new Path(toA, toB, maxDatagram, 1);
        b = new Path(toB, toA, maxDatagram, 2);
    }

    static final class Path implements PacketPath {
        private final BlockingQueue<byte[]> in;
        final BlockingQueue<byte[]> out;
        private final int maxDatagram;
        private final InetSocketAddress address;
        private volatile boolean closed;

        Path(BlockingQueue<byte[]> in, BlockingQueue<byte[]> out, int maxDatagram, int port) {
            this.in = in;
            this.out = out;
            this.maxDatagram = maxDatagram;
            this.address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        }

        /** Puts a datagram in front of this end's receiver, as if the peer (or anyone) had sent it. */
        void inject(byte[] datagram) {
            in.add(datagram.clone());
        }

        @Override
        public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
            if (closed) {
                throw new SocketException("closed");
            }
            byte[] d;
            try {
                d = waitMillis == 0 ? in.take() : in.poll(waitMillis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SocketException("interrupted");
            }
            if (d == null) {
                return -1;
            }
            int n = Math.min(len, d.length);
            System.arraycopy(d, 0, buf, off, n);
            return n;
        }

        @Override
        public void send(byte[] buf, int off, int len) {
            byte[] d = new byte[len];
            System.arraycopy(buf, off, d, 0, len);
            out.add(d);
        }

        @Override
        public int maxDatagram() {
            return maxDatagram;
        }

        @Override
        public InetSocketAddress localAddress() {
            return address;
        }

        @Override
        public InetSocketAddress remoteAddress() {
            return address;
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
