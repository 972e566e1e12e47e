package org.symphonet.tunnel.ice;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.symphonet.tunnel.AgentConfig;
import org.symphonet.tunnel.dtls.MmsgUdpPath;
import org.symphonet.tunnel.ice.stun.ChannelData;

/** The relayed path's framing against a stand-in TURN server on loopback. */
class IceSocketPathTest {
    private static final int CHANNEL = 0x4000;
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        timers.shutdownNow();
    }

    @Test
    void recordsTravelInChannelDataAndGarbageIsDropped() throws Exception {
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        try (DatagramSocket server = new DatagramSocket(new InetSocketAddress(lo, 0))) {
            server.setSoTimeout(5000);
            AtomicLong foreign = new AtomicLong();
            MmsgUdpPath socket = MmsgUdpPath.open(new InetSocketAddress(lo, 0), 1500, new AtomicLong());
            IceSocketPath path = path(socket, (InetSocketAddress) server.getLocalSocketAddress(), CHANNEL, foreign,
                    List.of());
            try {
                assertEquals(1500 - 48 - ChannelData.HEADER, path.maxDatagram());
                // Out: one record, framed.
                byte[] record = record(path.maxDatagram());
                path.send(record, 0, record.length);
                DatagramPacket p = new DatagramPacket(new byte[4096], 4096);
                server.receive(p);
                assertEquals(record.length + ChannelData.HEADER, p.getLength());
                assertEquals(CHANNEL, ChannelData.channel(p.getData(), 0));
                assertArrayEquals(record, Arrays.copyOfRange(p.getData(), 4, p.getLength()));

                InetSocketAddress me = socket.localAddress();
                // In: garbage, a frame on another channel, a frame longer than it says, then a full record.
                Random r = new Random(1);
                for (int i = 0; i < 200; i++) {
                    byte[] g = new byte[1 + r.nextInt(1500)];
                    r.nextBytes(g);
                    if ((g[0] & 0xFF) < 4) {
                        g[0] = 0x7f;
                    }
                    server.send(new DatagramPacket(g, g.length, me));
                }
                byte[] other = new byte[ChannelData.HEADER + record.length];
                ChannelData.writeHeader(other, 0, CHANNEL + 1, record.length);
                System.arraycopy(record, 0, other, 4, record.length);
                server.send(new DatagramPacket(other, other.length, me));
                byte[] lying = Arrays.copyOf(other, 40);
                ChannelData.writeHeader(lying, 0, CHANNEL, 1000);
                server.send(new DatagramPacket(lying, lying.length, me));
                byte[] good = other.clone();
                ChannelData.writeHeader(good, 0, CHANNEL, record.length);
                server.send(new DatagramPacket(good, good.length, me));

                byte[] buf = new byte[path.maxDatagram()];
                int n = -1;
                // One datagram per call: each piece of garbage is one -1.
                for (int i = 0; i < 1000 && n < 0; i++) {
                    n = path.receive(buf, 0, buf.length, 100);
                }
                assertEquals(record.length, n, "the full record, not cut by its frame header");
                assertArrayEquals(record, Arrays.copyOf(buf, n));
                assertEquals(true, foreign.get() > 0, "garbage counted");
            } finally {
                path.close();
            }
        }
    }

    /**
     * Issue 15: the end that sent to the peer's relay moves onto its own TURN server's channel;
     * records from the peer's relayed address are taken before and after, strangers' are not.
     */
    @Test
    void reroutedOntoOwnRelayAndTakesRecordsFromThePeersRelay() throws Exception {
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        try (DatagramSocket turn = new DatagramSocket(new InetSocketAddress(lo, 0));
             DatagramSocket peerRelay = new DatagramSocket(new InetSocketAddress(lo, 0));
             DatagramSocket stranger = new DatagramSocket(new InetSocketAddress(lo, 0))) {
            turn.setSoTimeout(5000);
            peerRelay.setSoTimeout(5000);
            InetSocketAddress relay = (InetSocketAddress) peerRelay.getLocalSocketAddress();
            AtomicLong foreign = new AtomicLong();
            MmsgUdpPath socket = MmsgUdpPath.open(new InetSocketAddress(lo, 0), 1500, new AtomicLong());
            IceSocketPath path = path(socket, relay, 0, foreign, List.of(relay));
            try {
                InetSocketAddress me = socket.localAddress();
                byte[] record = record(100);
                byte[] buf = new byte[2048];
                DatagramPacket p = new DatagramPacket(new byte[4096], 4096);
                // Before: plain to the peer's relay.
                path.send(record, 0, record.length);
                peerRelay.receive(p);
                assertArrayEquals(record, Arrays.copyOf(p.getData(), p.getLength()));
                stranger.send(new DatagramPacket(record, record.length, me));
                assertEquals(-1, receiveOne(path, buf), "a stranger's record is dropped");
                assertEquals(1, foreign.get());
                peerRelay.send(new DatagramPacket(record, record.length, me));
                assertEquals(record.length, receiveOne(path, buf));

                path.reroute((InetSocketAddress) turn.getLocalSocketAddress(), CHANNEL);
                // After: framed to our TURN server; the peer's relay still delivers, and so does our channel.
                path.send(record, 0, record.length);
                turn.receive(p);
                assertEquals(CHANNEL, ChannelData.channel(p.getData(), 0));
                assertArrayEquals(record, Arrays.copyOfRange(p.getData(), 4, p.getLength()));
                peerRelay.send(new DatagramPacket(record, record.length, me));
                assertEquals(record.length, receiveOne(path, buf), "records from the peer's relay");
                assertArrayEquals(record, Arrays.copyOf(buf, record.length));
                byte[] framed = new byte[ChannelData.HEADER + record.length];
                ChannelData.writeHeader(framed, 0, CHANNEL, record.length);
                System.arraycopy(record, 0, framed, 4, record.length);
                turn.send(new DatagramPacket(framed, framed.length, me));
                assertEquals(record.length, receiveOne(path, buf), "records on our own channel, unframed");
                assertArrayEquals(record, Arrays.copyOf(buf, record.length));
                stranger.send(new DatagramPacket(record, record.length, me));
                assertEquals(-1, receiveOne(path, buf));
                assertEquals(2, foreign.get());
            } finally {
                path.close();
            }
        }
    }

    /**
     * Small records share a datagram once joining is on (the peer splits): out in one ChannelData
     * frame whose length covers them all; in, a joined datagram comes out one record per call.
     */
    @Test
    void smallRecordsShareDatagramsAndAreSplitOnTheWayIn() throws Exception {
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        try (DatagramSocket turn = new DatagramSocket(new InetSocketAddress(lo, 0))) {
            turn.setSoTimeout(5000);
            AtomicLong foreign = new AtomicLong();
            MmsgUdpPath socket = MmsgUdpPath.open(new InetSocketAddress(lo, 0), 1500, new AtomicLong());
            IceSocketPath path = path(socket, (InetSocketAddress) turn.getLocalSocketAddress(), CHANNEL, foreign,
                    List.of());
            try {
                path.joinSmallRecords();
                path.batchFor(Thread.currentThread());
                byte[] a = dtlsRecord(80, 1);
                byte[] b = dtlsRecord(90, 2);
                byte[] c = dtlsRecord(70, 3);
                byte[] big = dtlsRecord(path.maxDatagram() - 13, 4);
                for (byte[] r : List.of(a, b, c, big)) {
                    path.send(r, 0, r.length);
                }
                path.flush();
                DatagramPacket p = new DatagramPacket(new byte[4096], 4096);
                turn.receive(p);
                assertEquals(CHANNEL, ChannelData.channel(p.getData(), 0));
                assertEquals(a.length + b.length + c.length, ChannelData.payloadLength(p.getData(), 0, p.getLength()),
                        "three small records, one frame");
                byte[] joined = Arrays.copyOfRange(p.getData(), 4, p.getLength());
                turn.receive(p);
                assertEquals(big.length + ChannelData.HEADER, p.getLength(), "a full record travels alone");

                // In: the joined frame back, as the peer's relay would hand it on.
                byte[] framed = new byte[ChannelData.HEADER + joined.length];
                ChannelData.writeHeader(framed, 0, CHANNEL, joined.length);
                System.arraycopy(joined, 0, framed, 4, joined.length);
                turn.send(new DatagramPacket(framed, framed.length, socket.localAddress()));
                byte[] buf = new byte[2048];
                for (byte[] r : List.of(a, b, c)) {
                    assertEquals(r.length, receiveOne(path, buf));
                    assertArrayEquals(r, Arrays.copyOf(buf, r.length));
                }
                assertEquals(false, path.readyNow(), "nothing left");
                assertEquals(0, foreign.get());
            } finally {
                path.close();
            }
        }
    }

    /** A DTLS application data record with a correct length field and {@code payload} bytes of {@code fill}. */
    private static byte[] dtlsRecord(int payload, int fill) {
        byte[] b = new byte[13 + payload];
        b[0] = 23;
        b[1] = (byte) 0xFE;
        b[2] = (byte) 0xFD;
        b[11] = (byte) (payload >>> 8);
        b[12] = (byte) payload;
        Arrays.fill(b, 13, b.length, (byte) fill);
        return b;
    }

    /** A relayed pair's path on {@code socket} toward {@code hop} (our TURN server, or a peer's relay). */
    private IceSocketPath path(MmsgUdpPath socket, InetSocketAddress hop, int channel, AtomicLong foreign,
                               List<InetSocketAddress> peerRelays) throws Exception {
        IceSession session = new IceSession(AgentConfig.defaults(Path.of("/nonexistent")), socket, timers,
                new SecureRandom(), List.of(socket.localAddress().getAddress()));
        return new IceSocketPath(socket, session, socket.localAddress(),
                new InetSocketAddress(socket.localAddress().getAddress(), 9), hop, channel, true, foreign, peerRelays);
    }

    /** The next datagram's outcome: waits for one to arrive, then returns what receive made of it. */
    private static int receiveOne(IceSocketPath path, byte[] buf) throws Exception {
        for (int i = 0; i < 50; i++) {
            if (path.readyNow()) {
                return path.receive(buf, 0, buf.length, 100);
            }
            Thread.sleep(20);
        }
        throw new AssertionError("nothing arrived");
    }

    /** A DTLS-looking application data record header, then filler. */
    private static byte[] record(int length) {
        byte[] b = new byte[length];
        b[0] = 23;
        b[1] = (byte) 0xFE;
        b[2] = (byte) 0xFD;
        for (int i = 3; i < length; i++) {
            b[i] = (byte) i;
        }
        return b;
    }
}
