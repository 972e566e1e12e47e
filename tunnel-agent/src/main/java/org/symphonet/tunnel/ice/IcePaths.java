package org.symphonet.tunnel.ice;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;

import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.ice.Agent;
import org.ice4j.ice.Component;
import org.ice4j.ice.IceMediaStream;
import org.ice4j.ice.KeepAliveStrategy;
import org.ice4j.ice.LocalCandidate;
import org.ice4j.ice.NominationStrategy;
import org.ice4j.ice.harvest.StunCandidateHarvester;
import org.ice4j.ice.harvest.TurnCandidateHarvester;
import org.ice4j.security.LongTermCredential;
import org.symphonet.tunnel.AgentConfig;
import org.symphonet.tunnel.IceParameters;
import org.symphonet.tunnel.TunnelId;

/**
 * ICE through ice4j: one agent, one stream, one UDP component per tunnel, with
 * host, server-reflexive (STUN) and relayed (TURN, long-term credentials)
 * candidates. Gathering happens in {@link #prepare}, checks in
 * {@link LocalPath#establish}.
 */
public final class IcePaths implements PathFactory {
    private final AgentConfig config;

    public IcePaths(AgentConfig config) {
        this.config = config;
        Ice4jSettings.applyOnce(config.ice());
    }

    @Override
    public LocalPath prepare(TunnelId id) throws IOException {
        Agent agent = new Agent();
        try {
            // The DTLS client (smaller node ID) controls ICE: a role both ends derive alike.
            agent.setControlling(id.localIsDtlsClient());
            // A relayed pair often validates first (the relay answers at once); give
            // host and reflexive pairs a moment before settling for the relay.
            agent.setNominationStrategy(NominationStrategy.NOMINATE_FIRST_HOST_OR_REFLEXIVE_VALID);
            for (InetSocketAddress stun : config.ice().stunServers()) {
                agent.addCandidateHarvester(new StunCandidateHarvester(udp(stun)));
            }
            for (AgentConfig.TurnServer turn : config.ice().turnServers()) {
                agent.addCandidateHarvester(new TurnCandidateHarvester(udp(turn.address()),
                        new LongTermCredential(turn.username(), turn.password())));
            }
            IceMediaStream stream = agent.createMediaStream("tunnel");
            Component component = agent.createComponent(stream, KeepAliveStrategy.SELECTED_ONLY, true);
            IceParameters local = new IceParameters(agent.getLocalUfrag(), agent.getLocalPassword(),
                    publishable(component.getLocalCandidates()));
            return new IceLocalPath(agent, stream, component, local, config.pathMtu());
        } catch (IOException | RuntimeException e) {
            agent.free();
            throw e instanceof IOException io ? io : new IOException("ICE gathering failed: " + e, e);
        }
    }

    /**
     * Local candidates as signaled, minus host candidates on excluded interfaces
     * (the overlay's bridges and TAPs): a tunnel must never run inside the overlay.
     */
    private List<IceParameters.Candidate> publishable(List<LocalCandidate> candidates) {
        List<IceParameters.Candidate> out = new ArrayList<>();
        for (LocalCandidate c : candidates) {
            TransportAddress a = c.getTransportAddress();
            if (a.getTransport() != Transport.UDP) {
                continue;
            }
            if (c.getType() == org.ice4j.ice.CandidateType.HOST_CANDIDATE && excluded(a.getAddress())) {
                continue;
            }
            out.add(new IceParameters.Candidate(c.getFoundation(), c.getParentComponent().getComponentID(),
                    c.getPriority(), IceTypes.toOurs(c.getType()), a.getHostString(), a.getPort()));
        }
        return out;
    }

    private boolean excluded(InetAddress address) {
        try {
            NetworkInterface nif = NetworkInterface.getByInetAddress(address);
            if (nif == null) {
                return false;
            }
            for (String prefix : config.ice().excludedInterfacePrefixes()) {
                if (nif.getName().startsWith(prefix)) {
                    return true;
                }
            }
            return nif.getName().startsWith(config.tapPrefix());
        } catch (SocketException e) {
            return false;
        }
    }

    static TransportAddress udp(InetSocketAddress a) {
        return new TransportAddress(a.getAddress(), a.getPort(), Transport.UDP);
    }

    @Override
    public void close() {
        // Agents belong to their paths.
    }
}
