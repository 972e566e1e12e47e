package org.symphonet.tunnel.ice;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;

import org.ice4j.ice.Agent;
import org.ice4j.ice.CandidatePair;
import org.ice4j.ice.Component;
import org.symphonet.tunnel.LinkType;
import org.symphonet.tunnel.dtls.PacketPath;
import org.symphonet.tunnel.dtls.TimedReceiver;

/**
 * The pair ICE selected, as a {@link PacketPath}. Sending goes through the
 * component, which wraps data for the TURN server when the local end is relayed;
 * receiving reads ice4j's merged component socket, which already drops STUN and
 * datagrams from addresses no check has validated.
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
    private final int maxDatagram;
    private final TimedReceiver receiver;

    IcePath(Agent agent, Component component, CandidatePair pair, int pathMtu, LinkType type) {
        this.agent = agent;
        this.component = component;
        this.socket = component.getSocket();
        this.receiver = new TimedReceiver(socket);
        this.local = pair.getLocalCandidate().getTransportAddress();
        this.remote = pair.getRemoteCandidate().getTransportAddress();
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

    @Override
    public void close() {
        agent.free();
    }
}
