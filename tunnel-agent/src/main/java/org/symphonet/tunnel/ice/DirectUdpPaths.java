package org.symphonet.tunnel.ice;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.symphonet.tunnel.IceParameters;
import org.symphonet.tunnel.LinkType;
import org.symphonet.tunnel.TunnelId;
import org.symphonet.tunnel.dtls.MmsgUdpPath;
import org.symphonet.tunnel.dtls.UdpPath;

/**
 * No ICE: one UDP socket on a configured address, the peer's first candidate
 * taken as its address. For fixed set-ups and for testing tunnels without STUN,
 * TURN or connectivity checks. Reported as {@code direct}. IPv4 uses the batched
 * {@link MmsgUdpPath}; other families the JDK socket ({@link UdpPath}).
 */
public final class DirectUdpPaths implements PathFactory {
    private final InetSocketAddress bind;
    private final int pathMtu;
    private final SecureRandom random = new SecureRandom();

    public DirectUdpPaths(InetSocketAddress bind, int pathMtu) {
        if (bind == null || bind.getAddress() == null || bind.getAddress().isAnyLocalAddress()) {
            throw new IllegalArgumentException("direct UDP mode needs a concrete bind address, got " + bind);
        }
        this.bind = bind;
        this.pathMtu = pathMtu;
    }

    @Override
    public LocalPath prepare(TunnelId id) throws IOException {
        if (bind.getAddress() instanceof Inet4Address) {
            return batched(MmsgUdpPath.open(bind, pathMtu, new AtomicLong()));
        }
        DatagramSocket socket = new DatagramSocket(bind);
        // Bulk traffic: room for bursts while the receive thread is descheduled.
        socket.setReceiveBufferSize(4 << 20);
        socket.setSendBufferSize(4 << 20);
        InetSocketAddress local = (InetSocketAddress) socket.getLocalSocketAddress();
        IceParameters params = new IceParameters(token(4), token(12), List.of(new IceParameters.Candidate(
                "1", 1, 2130706431L, IceParameters.CandidateType.HOST,
                local.getAddress().getHostAddress(), local.getPort())));
        return new LocalPath() {
            @Override
            public IceParameters localParameters() {
                return params;
            }

            @Override
            public EstablishedPath establish(IceParameters remote, boolean controlling, Duration timeout,
                                             AtomicLong foreign) throws IOException {
                return new EstablishedPath(new UdpPath(socket, peerOf(remote), pathMtu, foreign), LinkType.DIRECT);
            }

            @Override
            public void close() {
                socket.close();
            }
        };
    }

    /** IPv4: the batched (sendmmsg/recvmmsg) socket. */
    private LocalPath batched(MmsgUdpPath path) {
        InetSocketAddress local = path.localAddress();
        IceParameters params = new IceParameters(token(4), token(12), List.of(new IceParameters.Candidate(
                "1", 1, 2130706431L, IceParameters.CandidateType.HOST,
                local.getAddress().getHostAddress(), local.getPort())));
        return new LocalPath() {
            @Override
            public IceParameters localParameters() {
                return params;
            }

            @Override
            public EstablishedPath establish(IceParameters remote, boolean controlling, Duration timeout,
                                             AtomicLong foreign) throws IOException {
                path.setPeer(peerOf(remote));
                path.countForeignIn(foreign);
                return new EstablishedPath(path, LinkType.DIRECT);
            }

            @Override
            public void close() {
                path.close();
            }
        };
    }

    private static InetSocketAddress peerOf(IceParameters remote) throws IOException {
        if (remote.candidates().isEmpty()) {
            throw new IOException("peer sent no candidate");
        }
        IceParameters.Candidate c = remote.candidates().get(0);
        InetSocketAddress peer = new InetSocketAddress(c.address(), c.port());
        if (peer.isUnresolved()) {
            throw new IOException("peer candidate address unresolved: " + c.address());
        }
        return peer;
    }

    private String token(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    @Override
    public void close() {
        // Sockets belong to the paths.
    }
}
