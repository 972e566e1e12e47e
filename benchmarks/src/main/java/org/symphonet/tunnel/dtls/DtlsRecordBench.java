package org.symphonet.tunnel.dtls;

import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.DatagramTransport;
import org.symphonet.tunnel.Fingerprint;

/**
 * Nanoseconds per frame through Bouncy Castle's DTLS record layer with the tunnel's
 * crypto (send on one end, receive on the other, in memory, one thread after the
 * handshake): the record cipher plus everything BC does around it. Run it in the JVM
 * whose JIT you want to see, e.g. {@code java @packaging/deb/files/node.jvm
 * -Dsymphonet.tunnel.cipher=jce -cp benchmarks/target/ofload.jar
 * org.symphonet.tunnel.dtls.DtlsRecordBench 1400 5}.
 */
public final class DtlsRecordBench {
    private DtlsRecordBench() {
    }

    public static void main(String[] args) throws Exception {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 1400;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 5;
        NodeCertificate a = NodeCertificate.generate();
        NodeCertificate b = NodeCertificate.generate();
        Pipe ab = new Pipe();
        Pipe ba = new Pipe();
        DtlsCredentials ca = new DtlsCredentials(a);
        DtlsCredentials cb = new DtlsCredentials(b);
        CompletableFuture<DTLSTransport> server = CompletableFuture.supplyAsync(() -> {
            try {
                return new DTLSServerProtocol().accept(new TunnelDtlsServer(cb,
                        new FingerprintCheck(Fingerprint.ofCertificate(a.certificateDer())), 30_000), new End(ab, ba));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        DTLSTransport client = new DTLSClientProtocol().connect(new TunnelDtlsClient(ca,
                new FingerprintCheck(Fingerprint.ofCertificate(b.certificateDer())), 30_000), new End(ba, ab));
        DTLSTransport srv = server.get(60, TimeUnit.SECONDS);
        byte[] frame = new byte[size];
        byte[] in = new byte[2048];
        long count = 0;
        long start = 0;
        long end = System.nanoTime() + (long) (seconds / 3 * 1e9);   // first third: warm-up
        boolean measuring = false;
        while (true) {
            for (int i = 0; i < 64; i++) {
                client.send(frame, 0, size);
                if (srv.receive(in, 0, in.length, 1000) != size) {
                    throw new IllegalStateException("lost a record");
                }
            }
            count += 64;
            long now = System.nanoTime();
            if (now >= end) {
                if (measuring) {
                    System.out.printf("RESULT dtls-record size=%d cipher=%s ns=%.0f%n", size,
                            ((TunnelTlsCrypto) ca.crypto()).recordCipher().name().toLowerCase(),
                            (double) (now - start) / count);
                    break;
                }
                measuring = true;
                count = 0;
                start = now;
                end = now + (long) (seconds * 2 / 3 * 1e9);
            }
        }
        client.close();
        srv.close();
    }

    private static final class Pipe {
        final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(1024);
    }

    /** One end: receives from {@code in}, sends into {@code out}. */
    private record End(Pipe in, Pipe out) implements DatagramTransport {
        @Override
        public int getReceiveLimit() {
            return 1500;
        }

        @Override
        public int getSendLimit() {
            return 1500;
        }

        @Override
        public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
            try {
                byte[] d = in.queue.poll(waitMillis, TimeUnit.MILLISECONDS);
                if (d == null) {
                    return -1;
                }
                System.arraycopy(d, 0, buf, off, d.length);
                return d.length;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }

        @Override
        public void send(byte[] buf, int off, int len) {
            byte[] d = new byte[len];
            System.arraycopy(buf, off, d, 0, len);
            out.queue.offer(d);
        }

        @Override
        public void close() {
        }
    }
}
