package org.symphonet.overlay.signal;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.SocketFactory;

/**
 * What the node's XMPP session costs the server: stanzas (every message, presence and IQ, ours or
 * not) and bytes on the TCP connection (after TLS, so what the network and the server really carry,
 * stream headers and keepalives included). Bytes are counted by the sockets of
 * {@link #socketFactory()}; STARTTLS layers its socket over ours, so the count stays on the wire.
 * Thread-safe: Smack's reader and writer threads count concurrently.
 */
final class WireCounters {

    private final AtomicLong stanzasIn = new AtomicLong();
    private final AtomicLong stanzasOut = new AtomicLong();
    private final AtomicLong bytesIn = new AtomicLong();
    private final AtomicLong bytesOut = new AtomicLong();

    void stanzaIn() {
        stanzasIn.incrementAndGet();
    }

    void stanzaOut() {
        stanzasOut.incrementAndGet();
    }

    XmppTraffic snapshot() {
        return new XmppTraffic(stanzasIn.get(), stanzasOut.get(), bytesIn.get(), bytesOut.get());
    }

    /** Sockets that count what passes through them; Smack connects them itself. */
    SocketFactory socketFactory() {
        return new SocketFactory() {
            @Override
            public Socket createSocket() {
                return new CountingSocket();
            }

            // Smack only uses createSocket() and connect(); the rest connect at once, as specified.
            @Override
            public Socket createSocket(String host, int port) throws IOException {
                return connected(null, new InetSocketAddress(host, port));
            }

            @Override
            public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
                return connected(new InetSocketAddress(localHost, localPort), new InetSocketAddress(host, port));
            }

            @Override
            public Socket createSocket(InetAddress host, int port) throws IOException {
                return connected(null, new InetSocketAddress(host, port));
            }

            @Override
            public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                    throws IOException {
                return connected(new InetSocketAddress(localAddress, localPort), new InetSocketAddress(address, port));
            }
        };
    }

    private Socket connected(InetSocketAddress local, InetSocketAddress remote) throws IOException {
        Socket s = new CountingSocket();
        if (local != null) {
            s.bind(local);
        }
        s.connect(remote);
        return s;
    }

    private final class CountingSocket extends Socket {
        private InputStream in;
        private OutputStream out;

        @Override
        public synchronized InputStream getInputStream() throws IOException {
            if (in == null) {
                in = new FilterInputStream(super.getInputStream()) {
                    @Override
                    public int read() throws IOException {
                        int b = super.read();
                        if (b >= 0) {
                            bytesIn.incrementAndGet();
                        }
                        return b;
                    }

                    @Override
                    public int read(byte[] buf, int off, int len) throws IOException {
                        int n = super.read(buf, off, len);
                        if (n > 0) {
                            bytesIn.addAndGet(n);
                        }
                        return n;
                    }
                };
            }
            return in;
        }

        @Override
        public synchronized OutputStream getOutputStream() throws IOException {
            if (out == null) {
                out = new FilterOutputStream(super.getOutputStream()) {
                    @Override
                    public void write(int b) throws IOException {
                        out.write(b);
                        bytesOut.incrementAndGet();
                    }

                    @Override
                    public void write(byte[] buf, int off, int len) throws IOException {
                        // FilterOutputStream would write byte by byte.
                        out.write(buf, off, len);
                        bytesOut.addAndGet(len);
                    }
                };
            }
            return out;
        }
    }
}
