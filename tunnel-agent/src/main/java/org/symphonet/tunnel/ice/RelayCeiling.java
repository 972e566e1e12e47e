package org.symphonet.tunnel.ice;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.symphonet.tunnel.AgentConfig;
import org.symphonet.tunnel.dtls.MmsgUdpPath;
import org.symphonet.tunnel.ice.stun.ChannelData;
import org.symphonet.tunnel.ice.stun.StunCodec;
import org.symphonet.tunnel.ice.stun.StunMessage;

/**
 * What a TURN server carries on one relayed UDP path without our tunnel on it (the
 * benchmark's {@code relay-ceiling}): one end allocates, binds a channel to the other
 * end and sends full datagrams in it as fast as the batched socket goes; the other
 * end counts what arrives. Same socket code, same framing, no DTLS, no TAP, no TCP.
 */
public final class RelayCeiling {
    static final int PAYLOAD = 1400;

    private RelayCeiling() {
    }

    /** Allocates, binds a channel to {@code peer}, prints RELAY, waits, blasts for {@code seconds}, prints SENT. */
    public static void blast(AgentConfig.TurnServer turn, InetSocketAddress peer, int seconds, PrintStream out)
            throws IOException, InterruptedException {
        MmsgUdpPath socket = MmsgUdpPath.open(new InetSocketAddress(InetAddress.getByAddress(new byte[4]), 0),
                1500, new AtomicLong());
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
            byte[] frame = new byte[ChannelData.HEADER + PAYLOAD];
            ChannelData.writeHeader(frame, 0, a.channelFor(peer), PAYLOAD);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            long sent = 0;
            while (System.nanoTime() < end) {
                for (int i = 0; i < 32; i++) {
                    socket.send(frame, 0, frame.length);
                }
                try {
                    socket.flush();
                    sent += 32;
                } catch (IOException e) {
                    // ENOBUFS: the socket buffer is full; that is the point of blasting.
                }
            }
            out.println("SENT " + sent + " datagrams " + sent * PAYLOAD * 8 / 1_000_000 / seconds + " Mbit/s");
        } finally {
            socket.close();
        }
    }

    /**
     * Opens the NAT toward {@code relay}, then counts datagrams for up to {@code seconds} + 5 s;
     * prints RECEIVED with the rate between the first and the last one.
     */
    public static void sink(int port, InetSocketAddress relay, int seconds, PrintStream out) throws IOException {
        MmsgUdpPath socket = MmsgUdpPath.open(new InetSocketAddress(InetAddress.getByAddress(new byte[4]), port),
                1500, new AtomicLong());
        try {
            byte[] hello = new byte[8];
            for (int i = 0; i < 3; i++) {
                socket.sendTo(hello, 0, hello.length, relay);
            }
            byte[] buf = new byte[2048];
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds + 5L);
            long first = 0;
            long last = 0;
            long bytes = 0;
            while (System.nanoTime() < deadline) {
                int n = socket.receiveAny(buf, 0, buf.length, 200);
                if (n < 0) {
                    if (first != 0 && System.nanoTime() - last > TimeUnit.SECONDS.toNanos(1)) {
                        break;
                    }
                    continue;
                }
                last = System.nanoTime();
                if (first == 0) {
                    first = last;
                } else {
                    bytes += n;
                }
            }
            double secs = (last - first) / 1e9;
            out.println("RECEIVED " + (secs > 0 ? Math.round(bytes * 8 / secs / 1e6) : 0) + " Mbit/s " + bytes
                    + " bytes in " + String.format("%.2f", secs) + " s");
        } finally {
            socket.close();
        }
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
