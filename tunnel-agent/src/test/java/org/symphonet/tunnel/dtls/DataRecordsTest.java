package org.symphonet.tunnel.dtls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.tls.DTLSTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Our record layer for application data ({@link DataRecords}) on a real DTLS session in memory:
 * it interoperates with Bouncy Castle's layer both ways, and a replayed, altered, stale,
 * wrong-epoch or garbage datagram is dropped and counted, never delivered, never fatal.
 */
class DataRecordsTest {
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong offered = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final Runnable onAccepted = accepted::incrementAndGet;
    private MemoryPaths paths;
    private RecordTransport clientTransport;
    private RecordTransport serverTransport;
    private DTLSTransport client;
    private DTLSTransport server;
    /** The channel receiving on the server end in the current test (the others receive on the client). */
    private RecordChannel serverSide;

    private void connect() throws Exception {
        NodeCertificate a = NodeCertificate.generate();
        NodeCertificate b = NodeCertificate.generate();
        paths = new MemoryPaths(1452);
        clientTransport = new RecordTransport(paths.a, new AtomicLong(), new AtomicLong());
        serverTransport = new RecordTransport(paths.b, malformed, offered);
        CompletableFuture<DTLSTransport> accepting = CompletableFuture.supplyAsync(() -> {
            try {
                return new DtlsHandshake(new DtlsCredentials(b), 10_000).run(false, a.fingerprint(), serverTransport);
            } catch (HandshakeException e) {
                throw new IllegalStateException(e);
            }
        });
        client = new DtlsHandshake(new DtlsCredentials(a), 10_000).run(true, b.fingerprint(), clientTransport);
        server = accepting.get(30, TimeUnit.SECONDS);
        offered.set(0);
        malformed.set(0);
    }

    @AfterEach
    void close() {
        if (clientTransport != null) {
            clientTransport.close();
            serverTransport.close();
        }
    }

    private DataRecords own(DTLSTransport dtls, RecordTransport transport) throws Exception {
        return new DataRecords(dtls, transport, transport.sessionKeys(), RecordCipher.configured());
    }

    private <T extends RecordChannel> T onServer(T channel) {
        serverSide = channel;
        return channel;
    }

    private static byte[] message(int length, int seed) {
        byte[] m = new byte[length];
        new Random(seed).nextBytes(m);
        return m;
    }

    /** Receives until a message arrives or its queue is empty; null if none. */
    private byte[] receive(RecordChannel channel, Runnable hook) throws Exception {
        // What the client sends waits in paths.a.out, what the server sends in paths.b.out.
        java.util.Queue<byte[]> queue = channel == serverSide ? paths.a.out : paths.b.out;
        byte[] buf = new byte[4096];
        while (true) {
            boolean last = queue.isEmpty();
            int n = channel.receive(buf, 0, buf.length, 20, hook);
            if (n >= 0) {
                return Arrays.copyOf(buf, n);
            }
            if (last && queue.isEmpty()) {
                return null;
            }
        }
    }

    /** The datagrams the client sent since the last call, taken off the server's queue. */
    private List<byte[]> intercept() {
        List<byte[]> taken = new ArrayList<>();
        paths.a.out.drainTo(taken);
        return taken;
    }

    @Test
    void messagesCrossBetweenOurLayerAndBouncyCastlesBothWays() throws Exception {
        connect();
        assertEquals(3, clientTransport.sessionKeys().writeKey().length + 3 - 16, "AES-128 keys derived");
        DataRecords ownClient = own(client, clientTransport);
        DataRecords ownServer = own(server, serverTransport);
        BcRecords bcClient = new BcRecords(client, clientTransport);
        BcRecords bcServer = new BcRecords(server, serverTransport);
        int size = ownClient.getSendLimit();
        // A peer on BC's layer numbers its records from 1, ours from 2^40: BC's first (a window
        // that saw ours refuses numbers that far back, and no end mixes the two).
        for (int len : new int[] {1, 99, 1000, size}) {
            byte[] m = message(len, len);
            bcClient.send(m, 0, len);
            assertArrayEquals(m, receive(onServer(ownServer), onAccepted), "bc -> own " + len);
            ownServer.send(m, 0, len);
            assertArrayEquals(m, receive(bcClient, () -> { }), "own -> bc, the other way " + len);
        }
        for (int len : new int[] {1, 99, 1000, size}) {
            byte[] m = message(len, len);
            ownClient.send(m, 0, len);
            assertArrayEquals(m, receive(onServer(ownServer), onAccepted), "own -> own " + len);
            ownClient.send(m, 0, len);
            assertArrayEquals(m, receive(onServer(bcServer), onAccepted), "own -> bc " + len);
        }
        assertEquals(12, accepted.get());
        assertEquals(offered.get(), accepted.get(), "nothing refused");
    }

    @Test
    void replayedAlteredStaleAndWrongEpochRecordsAreDroppedAndCounted() throws Exception {
        connect();
        DataRecords sender = own(client, clientTransport);
        DataRecords receiver = onServer(own(server, serverTransport));
        byte[] m = message(99, 1);
        sender.send(m, 0, m.length);
        byte[] first = intercept().get(0);
        paths.b.inject(first);
        assertArrayEquals(m, receive(receiver, onAccepted));
        // Altered: one ciphertext bit.
        sender.send(m, 0, m.length);
        byte[] altered = intercept().get(0);
        altered[30] ^= 1;
        // Wrong epoch (0 and 2): not ours, whatever its tag.
        List<byte[]> otherEpochs = new ArrayList<>();
        for (int epoch : new int[] {0, 2}) {
            sender.send(m, 0, m.length);
            byte[] other = intercept().get(0);
            other[4] = (byte) epoch;
            otherEpochs.add(other);
        }
        // Replayed: the first datagram again.
        paths.b.inject(first);
        paths.b.inject(altered);
        otherEpochs.forEach(paths.b::inject);
        assertEquals(null, receive(receiver, onAccepted), "nothing of it delivered");
        assertEquals(1, accepted.get());
        assertEquals(5, offered.get(), "each record offered");
        // Stale: 64 newer records accepted since; then one older than the window, and one inside it.
        List<byte[]> older = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            sender.send(m, 0, m.length);
            older.add(intercept().get(0));
        }
        for (int i = 0; i < 70; i++) {
            sender.send(m, 0, m.length);
        }
        for (byte[] d : intercept()) {
            paths.b.inject(d);
            assertArrayEquals(m, receive(receiver, onAccepted));
        }
        long before = accepted.get();
        paths.b.inject(older.get(0));
        assertEquals(null, receive(receiver, onAccepted), "older than the window");
        assertEquals(before, accepted.get());
        // Out of order within the window is fine (UDP reorders).
        sender.send(m, 0, m.length);
        byte[] late = intercept().get(0);
        sender.send(m, 0, m.length);
        paths.b.inject(intercept().get(0));
        paths.b.inject(late);
        assertArrayEquals(m, receive(receiver, onAccepted));
        assertArrayEquals(m, receive(receiver, onAccepted));
        assertEquals(before + 2, accepted.get());
    }

    @Test
    void garbageNeverCrashesTheReceiverAndTheSessionCarriesOn() throws Exception {
        connect();
        DataRecords sender = own(client, clientTransport);
        DataRecords receiver = onServer(own(server, serverTransport));
        Random random = new Random(3);
        byte[] m = message(200, 2);
        sender.send(m, 0, m.length);
        byte[] good = intercept().get(0);
        for (int i = 0; i < 300; i++) {
            byte[] junk = new byte[random.nextInt(1500)];
            random.nextBytes(junk);
            if (i % 3 == 0 && junk.length > 13) {
                // Looks like a DTLS 1.2 application-data record of epoch 1, with a plausible length.
                junk[0] = 23;
                junk[1] = (byte) 0xFE;
                junk[2] = (byte) 0xFD;
                junk[3] = 0;
                junk[4] = 1;
                junk[11] = (byte) ((junk.length - 13) >>> 8);
                junk[12] = (byte) (junk.length - 13);
            } else if (i % 3 == 1) {
                // A truncated real record.
                junk = Arrays.copyOf(good, random.nextInt(good.length));
            }
            paths.b.inject(junk);
        }
        assertEquals(null, receive(receiver, onAccepted));
        assertEquals(0, accepted.get());
        assertTrue(malformed.get() > 100, "malformed counted: " + malformed.get());
        paths.b.inject(good);
        assertArrayEquals(m, receive(receiver, onAccepted), "the real record still opens");
    }

    @Test
    void thePeersCloseNotifyStillReachesBouncyCastleAndClosesTheSession() throws Exception {
        connect();
        DataRecords receiver = onServer(own(server, serverTransport));
        client.close();
        try {
            assertEquals(null, receive(receiver, onAccepted));
        } catch (java.net.SocketException closed) {
            // What the data path sees next: the transport BC closed (PeerToTap: "peer closed").
        }
        assertTrue(serverTransport.isClosed(), "BC closed the transport on the peer's close_notify");
    }
    /**
     * The lone-frame hop's reservations: a block of consecutive numbers of epoch 1, taken from the
     * same count as the layer's own records, so neither ever seals with a number the other used;
     * sentSince tells the hop its block's rest is stale once the layer sealed records after it.
     */
    @Test
    void reservedSequenceBlocksAreConsecutiveAndNeverReused() throws Exception {
        connect();
        DataRecords records = own(client, clientTransport);
        long first = records.reserveSequences(4);
        assertEquals(1, first >>> 48, "epoch 1 in the top 16 bits");
        long end = first + 4;
        assertTrue(!records.sentSince(end - 1), "nothing sealed after the block");
        long next = records.reserveSequences(4);
        assertEquals(end, next, "the next block follows the first");
        assertTrue(records.sentSince(end - 1), "the first block is behind numbers taken since");
        records.send(message(100, 1), 0, 100);
        assertTrue(records.sentSince(next + 3), "a record the layer sealed after the second block");
        long third = records.reserveSequences(4);
        assertEquals(next + 5, third, "the layer's record took the number after the second block");
    }
}
