package org.symphonet.overlay.node;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.symphonet.ofcontroller.view.NodeId;
import org.symphonet.overlay.identity.Fingerprint;
import org.symphonet.overlay.link.TunnelPort;
import org.symphonet.overlay.signal.IceCandidate;
import org.symphonet.overlay.signal.IceParams;
import org.symphonet.tunnel.IceParameters;
import org.symphonet.tunnel.Tunnel;
import org.symphonet.tunnel.TunnelAgent;
import org.symphonet.tunnel.TunnelEvent;
import org.symphonet.tunnel.TunnelRequest;

/**
 * The tunnel agent as one overlay's link manager sees it. Translates between the signaling
 * records (validated wire form) and the agent's own types, field by field.
 */
final class TunnelAdapter implements TunnelPort {

    /** Receives each tunnel's events with the handle the link manager holds for it (called on agent threads). */
    @FunctionalInterface
    interface Events {
        void onEvent(Handle tunnel, TunnelEvent event);
    }

    private final TunnelAgent agent;
    private final String overlay;
    private final NodeId self;
    private final String bridge;
    private final Fingerprint fingerprint;
    private final Events listener;

    TunnelAdapter(TunnelAgent agent, String overlay, NodeId self, String bridge, Fingerprint fingerprint,
                  Events listener) {
        this.agent = agent;
        this.overlay = overlay;
        this.self = self;
        this.bridge = bridge;
        this.fingerprint = fingerprint;
        this.listener = listener;
    }

    @Override
    public Fingerprint localFingerprint() {
        return fingerprint;
    }

    @Override
    public Handle open(NodeId peer) throws IOException {
        AgentHandle handle = new AgentHandle();
        handle.tunnel = agent.open(TunnelRequest.of(overlay, self.toString(), peer.toString(), bridge),
                event -> listener.onEvent(handle, event));
        return handle;
    }

    /**
     * One agent tunnel as a link manager's handle. Events name this handle, not just the peer, so a
     * replaced tunnel's late events are recognised as such.
     */
    private static final class AgentHandle implements Handle {
        /** Set right after the agent returns; events queued meanwhile only compare the handle itself. */
        private Tunnel tunnel;

        @Override
        public IceParams localParameters() {
            return toSignal(tunnel.localParameters());
        }

        @Override
        public void connect(Fingerprint peerFingerprint, IceParams remote) {
            tunnel.connect(org.symphonet.tunnel.Fingerprint.parse(peerFingerprint.hex()), toAgent(remote));
        }

        @Override
        public void checkAlive(java.time.Duration window) {
            tunnel.checkAlive(window);
        }

        @Override
        public void close() {
            tunnel.close();
        }
    }

    static IceParams toSignal(IceParameters p) {
        List<IceCandidate> cs = new ArrayList<>();
        for (IceParameters.Candidate c : p.candidates()) {
            cs.add(new IceCandidate(c.foundation(), c.component(), c.priority(),
                    IceCandidate.Type.valueOf(c.type().name()), c.address(), c.port()));
        }
        return new IceParams(p.ufrag(), p.password(), cs);
    }

    static IceParameters toAgent(IceParams p) {
        List<IceParameters.Candidate> cs = new ArrayList<>();
        for (IceCandidate c : p.candidates()) {
            cs.add(new IceParameters.Candidate(c.foundation(), c.component(), c.priority(),
                    IceParameters.CandidateType.valueOf(c.type().name()), c.address(), c.port()));
        }
        return new IceParameters(p.ufrag(), p.pwd(), cs);
    }
}
