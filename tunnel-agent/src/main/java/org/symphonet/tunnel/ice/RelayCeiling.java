package org.symphonet.tunnel.ice;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.symphonet.tunnel.AgentConfig;
import org.symphonet.tunnel.dtls.MmsgUdpPath;
import org.symphonet.tunnel.ice.stun.ChannelData;
import org.symphonet.tunnel.ice.stun.StunCodec;
import org.symphonet.tunnel.ice.stun.StunMessage;

/**
 * What a TURN server carries on one relayed UDP path without our tunnel on it (the
 * benchmark's {@code relay-ceiling}): one end allocates, binds a channel to the other
 * end and sends full datagrams in it; the other end counts what arrives. Same socket code,
 * same framing, no DTLS, no TAP, no TCP.
 *
 * <p>Two ways to send. Unpaced (the first ceiling): as fast as the batched socket goes, 4-5 Gbit/s
 * offered to a relay that carries about 1; the flood's own forwarding takes most of a core from
 * the relay on a small machine, and what arrives swings with it. Paced ramp: the offered rate
 * climbs linearly between two rates over the run, each datagram numbered; the far end bins the
 * arrivals ({@link ArrivalBins}) and the ceiling is the best rate a bin received without losing
 * datagrams, the load a loss-sensitive flow such as TCP could hold.
 *
 * <p>Datagrams as large as the tunnel's own through the relay ({@link #payload}): a relay's cost
 * is mostly per datagram, so with smaller ones (1400 bytes until the twelfth session, against the
 * tunnel's 1448) the ceiling counted fewer bytes per datagram than the tunnel carries and put
 * the relay's limit ~3% low. The tunnel's figure is its TCP goodput (1344 bytes per datagram):
 * its headers and record overhead count against it, as they should.
 */
public final class RelayCeiling {
    /** The path MTU both ends assume, as a tunnel's agents do by default. */
    private static final int PATH_MTU = 1500;
    /** Datagrams per paced send (one GSO message). */
    private static final int PACED_BURST = 8;
    private static final long BIN_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    /** A bin counts as lossless below this share lost. */
    static final double LOSSLESS = 0.01;

    private RelayCeiling() {
    }

    /**
     * Allocates, binds a channel to {@code peer}, prints RELAY, waits, sends for {@code warmup} +
     * {@code seconds}, prints SENT: unpaced when {@code fromMbit} is 0, else paced from
     * {@code fromMbit} up to {@code toMbit} Mbit/s of payload (at {@code fromMbit} through the
     * warm-up, the ramp over the measured seconds). The warm-up is the one every bench path gets
     * before its measured seconds (JIT, caches); the sink leaves it out of its figures.
     */
    public static void blast(AgentConfig.TurnServer turn, InetSocketAddress peer, int warmup, int seconds,
                             int fromMbit, int toMbit, PrintStream out) throws IOException, InterruptedException {
        MmsgUdpPath socket = MmsgUdpPath.open(new InetSocketAddress(InetAddress.getByAddress(new byte[4]), 0),
                PATH_MTU, new AtomicLong());
        try {
            TurnAllocation a = new TurnAllocation(turn);
            SecureRandom random = new SecureRandom();
            StunMessage ok = transact(socket, a, random, Kind.ALLOCATE, null);
            a.relayed = ok.xorAddress(StunMessage.XOR_RELAYED_ADDRESS);
            transact(socket, a, random, Kind.BIND, peer);
            out.println("RELAY " + a.relayed.getAddress().getHostAddress() + ":" + a.relayed.getPort());
            out.flush();
            // Time for the far end to open its NAT toward the relay address.
            Thread.sleep(3000);
            socket.setPeer(turn.address());
            socket.batchFor(Thread.currentThread());
            int payload = payload(socket);
            byte[] frame = new byte[ChannelData.HEADER + payload];
            ChannelData.writeHeader(frame, 0, a.channelFor(peer), payload);
            boolean paced = fromMbit > 0;
            int burst = paced ? PACED_BURST : 32;
            double burstBits = burst * payload * 8.0;
            long warm = TimeUnit.SECONDS.toNanos(warmup);
            long start = System.nanoTime() + warm;
            long span = TimeUnit.SECONDS.toNanos(seconds);
            long end = start + span;
            long last = start - warm;
            double credit = 0;
            long seq = 0;
            long sent = 0;
            while (true) {
                long now = System.nanoTime();
                if (now >= end) {
                    break;
                }
                if (paced) {
                    double bitsPerSecond = (fromMbit + (toMbit - fromMbit) * (double) Math.max(0, now - start) / span)
                            * 1e6;
                    // At most a few bursts of credit: after a stall the sender catches up, it does not flood.
                    credit = Math.min(credit + bitsPerSecond * Math.max(0, now - last) / 1e9, 4 * burstBits);
                    last = now;
                    if (credit < burstBits) {
                        LockSupport.parkNanos(20_000);
                        continue;
                    }
                    credit -= burstBits;
                }
                for (int i = 0; i < burst; i++) {
                    putLong(frame, ChannelData.HEADER, seq++);
                    socket.send(frame, 0, frame.length);
                }
                try {
                    socket.flush();
                    sent += burst;
                } catch (IOException e) {
                    // ENOBUFS: the socket buffer is full; unpaced, that is the point of blasting.
                }
            }
            out.println("SENT " + sent + " datagrams of " + payload + " bytes " + sent * payload * 8 / 1_000_000 / (warmup + seconds)
                    + " Mbit/s"
                    + (paced ? " paced " + fromMbit + "->" + toMbit : " unpaced"));
        } finally {
            socket.close();
        }
    }

    /**
     * Opens the NAT toward {@code relay}, then counts datagrams for up to {@code warmup} +
     * {@code seconds} + 5 s, leaving out those that arrive within {@code warmup} s of the first
     * (the blaster's warm-up); prints RECEIVED with the rate between the first and the last one
     * counted, then CEILING with the best rate of a 250-ms bin without losses (and of any bin),
     * then one BIN line per bin.
     */
    public static void sink(int port, InetSocketAddress relay, int warmup, int seconds, PrintStream out)
            throws IOException {
        MmsgUdpPath socket = MmsgUdpPath.open(new InetSocketAddress(InetAddress.getByAddress(new byte[4]), port),
                PATH_MTU, new AtomicLong());
        try {
            byte[] hello = new byte[8];
            for (int i = 0; i < 3; i++) {
                socket.sendTo(hello, 0, hello.length, relay);
            }
            byte[] buf = new byte[2048];
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmup + seconds + 5L);
            long warm = TimeUnit.SECONDS.toNanos(warmup);
            long arrived = 0;
            long first = 0;
            long last = 0;
            long bytes = 0;
            ArrivalBins bins = new ArrivalBins(BIN_NANOS, (int) ((seconds + 5L) * 1_000_000_000L / BIN_NANOS) + 1,
                    payload(socket));
            while (System.nanoTime() < deadline) {
                int n = socket.receiveAny(buf, 0, buf.length, 200);
                if (n < 0) {
                    if (first != 0 && System.nanoTime() - last > TimeUnit.SECONDS.toNanos(1)) {
                        break;
                    }
                    continue;
                }
                last = System.nanoTime();
                if (arrived == 0) {
                    arrived = last;
                }
                if (last - arrived < warm) {
                    continue;
                }
                if (first == 0) {
                    first = last;
                } else {
                    bytes += n;
                }
                if (n >= 8) {
                    bins.add(last - first, readLong(buf, 0));
                }
            }
            double secs = (last - first) / 1e9;
            out.println("RECEIVED " + (secs > 0 ? Math.round(bytes * 8 / secs / 1e6) : 0) + " Mbit/s " + bytes
                    + " bytes in " + String.format("%.2f", secs) + " s");
            double lossless = bins.best(LOSSLESS);
            // Lossless up to the last full bins: the ramp never reached what the relay carries.
            boolean top = bins.used() >= 3 && lossless > 0 && lossless <= bins.mbit(bins.used() - 2) * 1.02
                    && bins.loss(bins.used() - 2) <= LOSSLESS;
            out.println("CEILING " + Math.round(lossless) + " Mbit/s lossless, "
                    + Math.round(bins.best(1.0)) + " Mbit/s peak (250-ms bins)"
                    + (top ? "; lossless at the top of the ramp: the relay carries more" : ""));
            for (int b = 0; b < bins.used(); b++) {
                out.println(String.format("BIN %d %.0f Mbit/s lost %.2f%%", b, bins.mbit(b), bins.loss(b) * 100));
            }
        } finally {
            socket.close();
        }
    }

    /**
     * Payload bytes of a full datagram in a channel: what a relayed tunnel's records fill
     * ({@code IceSocketPath.maxDatagram} on a relayed pair), the largest datagram the path carries.
     */
    static int payload(MmsgUdpPath socket) {
        return socket.maxDatagram() - ChannelData.HEADER;
    }

    static void putLong(byte[] b, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }

    static long readLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | (b[off + i] & 0xFF);
        }
        return v;
    }

    private enum Kind { ALLOCATE, BIND }

    /** One request, signed after the server's 401, retransmitted; the success answer. */
    private static StunMessage transact(MmsgUdpPath socket, TurnAllocation a, SecureRandom random, Kind kind,
                                        InetSocketAddress peer) throws IOException {
        byte[] buf = new byte[2048];
        for (int attempt = 0; attempt < 10; attempt++) {
            byte[] tid = new byte[12];
            random.nextBytes(tid);
            byte[] req = kind == Kind.ALLOCATE ? a.allocate(tid) : a.channelBind(tid, peer);
            socket.sendTo(req, 0, req.length, a.address());
            int n = socket.receiveAny(buf, 0, buf.length, 500);
            StunMessage m = n < 0 ? null : StunCodec.decode(buf, 0, n);
            if (m == null || !m.sameTransaction(tid)) {
                continue;
            }
            if (m.isSuccess()) {
                return m;
            }
            if (!a.learn(m)) {
                throw new IOException(kind + " refused: " + m.errorCode());
            }
        }
        throw new IOException("no answer to " + kind + " from " + a.address());
    }
}
