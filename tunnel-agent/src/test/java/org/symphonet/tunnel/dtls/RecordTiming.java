package org.symphonet.tunnel.dtls;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.tls.DTLSTransport;
import org.symphonet.tunnel.Fingerprint;

/**
 * Not a test: times one record's encode (send) and decode (receive) on each data path, in one
 * JVM over in-memory paths, so the record layer's own cost is seen without sockets or TAPs.
 * Each record follows a pause (as a ping does, 50 ms apart: cold caches and branch predictors)
 * or comes hot, back to back. Run with the JVM options to compare (a node's C1-only, the bench's):
 * {@code java -cp ... org.symphonet.tunnel.dtls.RecordTiming [records] [pauseMillis]}
 */
public final class RecordTiming {
    interface Send {
        void send(byte[] buf, int off, int len) throws Exception;
    }

    interface Receive {
        int receive(byte[] buf) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        long pause = args.length > 1 ? Long.parseLong(args[1]) : 50;
        System.out.println("record cipher: " + RecordCipher.configured() + ", java " + System.getProperty("java.vm.version")
                + " " + String.join(" ", java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()));
        Pair pair = Pair.connect();
        byte[] ping = new byte[99];
        ping[0] = 1;
        byte[] rx = new byte[2048];
        // Warm-up: the JIT compiles both paths before anything is timed.
        for (int i = 0; i < 20_000; i++) {
            pair.oldSend.send(ping, 0, ping.length);
            pair.oldReceive.receive(rx);
        }
        DataRecords sender = new DataRecords(pair.client, pair.clientTransport, pair.clientTransport.sessionKeys(),
                RecordCipher.configured());
        DataRecords receiver = new DataRecords(pair.server, pair.serverTransport, pair.serverTransport.sessionKeys(),
                RecordCipher.configured());
        Runnable nothing = () -> { };
        Send newSend = sender::send;
        Receive newReceive = buf -> receiver.receive(buf, 0, buf.length, 1, nothing);
        for (int i = 0; i < 20_000; i++) {
            newSend.send(ping, 0, ping.length);
            newReceive.receive(rx);
        }
        DataRecords back = new DataRecords(pair.server, pair.serverTransport, pair.serverTransport.sessionKeys(),
                RecordCipher.configured());
        DataRecords backIn = new DataRecords(pair.client, pair.clientTransport, pair.clientTransport.sessionKeys(),
                RecordCipher.configured());
        Send bcBack = pair.server::send;
        Receive bcBackIn = buf -> pair.client.receive(buf, 0, buf.length, 1, null);
        Send ownBack = back::send;
        Receive ownBackIn = buf -> backIn.receive(buf, 0, buf.length, 1, nothing);
        for (int i = 0; i < 20_000; i++) {
            ownBack.send(ping, 0, ping.length);
            ownBackIn.receive(rx);
        }
        for (int round = 0; round < 2; round++) {
            time("bc record layer", pair.oldSend, pair.oldReceive, ping, rx, records, pause);
            time("own record layer", newSend, newReceive, ping, rx, records, pause);
            answer("bc record layer", pair.oldSend, pair.oldReceive, bcBack, bcBackIn, ping, rx, records, pause);
            answer("own record layer", newSend, newReceive, ownBack, ownBackIn, ping, rx, records, pause);
        }
        time("bc record layer", pair.oldSend, pair.oldReceive, ping, rx, records * 10, 0);
        time("own record layer", newSend, newReceive, ping, rx, records * 10, 0);
        MemoryPaths.Path raw = (MemoryPaths.Path) pair.clientTransport.path();
        MemoryPaths.Path rawIn = (MemoryPaths.Path) pair.serverTransport.path();
        time("memory path only", raw::send, buf -> rawIn.receive(buf, 0, buf.length, 1), ping, rx, records, pause);
        pair.close();
    }

    static void time(String name, Send send, Receive receive, byte[] msg, byte[] rx, int records, long pause)
            throws Exception {
        long[] enc = new long[records];
        long[] dec = new long[records];
        for (int i = 0; i < records; i++) {
            if (pause > 0) {
                Thread.sleep(pause);
            }
            long t0 = System.nanoTime();
            send.send(msg, 0, msg.length);
            long t1 = System.nanoTime();
            int n = receive.receive(rx);
            long t2 = System.nanoTime();
            if (n != msg.length) {
                throw new IllegalStateException(name + ": received " + n);
            }
            enc[i] = t1 - t0;
            dec[i] = t2 - t1;
        }
        System.out.printf("%-22s %3d-byte record after %d ms: encode+send med %5.1f us p90 %5.1f | receive+decode med %5.1f us p90 %5.1f%n",
                name, msg.length, pause, med(enc, 50), med(enc, 90), med(dec, 50), med(dec, 90));
    }

    /**
     * As the answering end of a ping: the request is queued before the pause; after it, time the
     * request's receive and decode, then the answer's encode and send (the peer takes it untimed).
     */
    static void answer(String name, Send send, Receive receive, Send answer, Receive answerIn, byte[] msg, byte[] rx,
                       int records, long pause) throws Exception {
        long[] dec = new long[records];
        long[] enc = new long[records];
        for (int i = 0; i < records; i++) {
            send.send(msg, 0, msg.length);
            Thread.sleep(pause);
            long t0 = System.nanoTime();
            int n = receive.receive(rx);
            long t1 = System.nanoTime();
            answer.send(rx, 0, n);
            long t2 = System.nanoTime();
            if (n != msg.length || answerIn.receive(rx) != msg.length) {
                throw new IllegalStateException(name + ": lost a record");
            }
            dec[i] = t1 - t0;
            enc[i] = t2 - t1;
        }
        System.out.printf("%-22s answering end after %d ms: receive+decode med %5.1f us p90 %5.1f | encode+send med %5.1f us p90 %5.1f%n",
                name, pause, med(dec, 50), med(dec, 90), med(enc, 50), med(enc, 90));
    }

    static double med(long[] v, int pct) {
        long[] s = v.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, s.length * pct / 100)] / 1000.0;
    }

    /** Two DTLS sessions joined in memory. */
    static final class Pair implements AutoCloseable {
        final DTLSTransport client;
        final DTLSTransport server;
        final RecordTransport clientTransport;
        final RecordTransport serverTransport;
        final Send oldSend;
        final Receive oldReceive;

        private Pair(DTLSTransport client, DTLSTransport server, RecordTransport ct, RecordTransport st) {
            this.client = client;
            this.server = server;
            this.clientTransport = ct;
            this.serverTransport = st;
            this.oldSend = client::send;
            this.oldReceive = buf -> server.receive(buf, 0, buf.length, 1, null);
        }

        static Pair connect() throws Exception {
            NodeCertificate a = NodeCertificate.generate();
            NodeCertificate b = NodeCertificate.generate();
            MemoryPaths paths = new MemoryPaths(1452);
            RecordTransport ct = new RecordTransport(paths.a, new AtomicLong(), new AtomicLong());
            RecordTransport st = new RecordTransport(paths.b, new AtomicLong(), new AtomicLong());
            CompletableFuture<DTLSTransport> server = CompletableFuture.supplyAsync(() -> {
                try {
                    return new DtlsHandshake(new DtlsCredentials(b), 10_000).run(false, a.fingerprint(), st);
                } catch (HandshakeException e) {
                    throw new IllegalStateException(e);
                }
            });
            DTLSTransport client = new DtlsHandshake(new DtlsCredentials(a), 10_000).run(true, b.fingerprint(), ct);
            return new Pair(client, server.get(), ct, st);
        }

        @Override
        public void close() {
            clientTransport.close();
            serverTransport.close();
        }
    }
}
