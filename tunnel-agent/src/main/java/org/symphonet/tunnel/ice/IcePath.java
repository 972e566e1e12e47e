package org.symphonet.tunnel.ice;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.concurrent.atomic.AtomicLong;

import org.ice4j.ice.Agent;
import org.ice4j.ice.CandidatePair;
import org.ice4j.ice.Component;
import org.symphonet.tunnel.LinkType;
import org.symphonet.tunnel.dtls.MmsgUdpPath;
import org.symphonet.tunnel.dtls.PacketPath;
import org.symphonet.tunnel.dtls.TimedReceiver;

/**
 * The pair ICE selected, as a {@link PacketPath}. Sending goes through the
 * component, which wraps data for the TURN server when the local end is relayed;
 * receiving reads ice4j's merged component socket, which already drops STUN and
 * datagrams from addresses no check has validated.
 *
 * <p>That route costs several times the CPU per datagram of a plain socket (ice4j
 * moves every packet through its own threads and queues), so once the handshake is
 * done a direct or reflexive path {@linkplain #takeOver hands over} to a batched
 * socket bound to the same local address: same 5-tuple, so NAT mappings and the
 * peer see no change. Relayed paths keep ice4j, which frames data for TURN.
 */
final class IcePath implements PacketPath {
    /** TURN Send/Data indication framing: STUN header, XOR-PEER-ADDRESS, DATA header, padding. */
    static final int TURN_OVERHEAD = 40;
    static final int IP_UDP_OVERHEAD = 48;

    private final Agent agent;
    private final Component component;
    private final DatagramSocket socket;
    private final InetSocketAddress local;
    private final InetSocketAddress remote;
    private final InetSocketAddress base;
    private final int pathMtu;
    private final LinkType type;
    private final int maxDatagram;
    private final TimedReceiver receiver;

    IcePath(Agent agent, Component component, CandidatePair pair, int pathMtu, LinkType type) {
        this.agent = agent;
        this.component = component;
        this.socket = component.getSocket();
        this.receiver = new TimedReceiver(socket);
        this.local = pair.getLocalCandidate().getTransportAddress();
        this.remote = pair.getRemoteCandidate().getTransportAddress();
        // The socket a server-reflexive candidate stands for is bound to its base (host) address.
        this.base = pair.getLocalCandidate().getBase() != null
                ? pair.getLocalCandidate().getBase().getTransportAddress() : local;
        this.pathMtu = pathMtu;
        this.type = type;
        this.maxDatagram = pathMtu - IP_UDP_OVERHEAD - (type == LinkType.RELAYED ? TURN_OVERHEAD : 0);
    }

    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
        return receiver.receive(buf, off, len, waitMillis);
    }

    @Override
    public void send(byte[] buf, int off, int len) throws IOException {
        component.send(buf, off, len);
    }

    @Override
    public int maxDatagram() {
        return maxDatagram;
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    /**
     * Frees the ICE agent (its sockets) and binds a batched socket to the same base
     * address. The port is taken again within milliseconds; a datagram arriving in
     * between is lost like any other and DTLS or TCP above recover it.
     */
    @Override
    public PacketPath takeOver(AtomicLong foreign) throws IOException {
        if (type == LinkType.RELAYED || !(base.getAddress() instanceof Inet4Address)
                || !(remote.getAddress() instanceof Inet4Address)) {
            return this;
        }
        agent.free();
        MmsgUdpPath path = bindAgain(foreign);
        try {
            path.setPeer(remote);
        } catch (IOException | RuntimeException e) {
            path.close();
            throw e;
        }
        return path;
    }

    private MmsgUdpPath bindAgain(AtomicLong foreign) throws IOException {
        // A socket closed under a blocked reader is released when that reader leaves it.
        SocketException last = null;
        for (int attempt = 0; attempt < 50; attempt++) {
            try {
                return MmsgUdpPath.open(base, pathMtu, foreign);
            } catch (SocketException e) {
                last = e;
                try {
                    Thread.sleep(20);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while rebinding " + base, ie);
                }
            }
        }
        throw new IOException("could not bind " + base + " again after ICE: " + last.getMessage(), last);
    }

    @Override
    public void close() {
        agent.free();
    }
}
