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
import org.symphonet.tunnel.TunnelListener;
import org.symphonet.tunnel.TunnelRequest;

/**
 * The tunnel agent as one overlay's link manager sees it. Translates between the signaling
 * records (validated wire form) and the agent's own types, field by field.
 */
final class TunnelAdapter implements TunnelPort {

    private final TunnelAgent agent;
    private final String overlay;
    private final NodeId self;
    private final String bridge;
    private final Fingerprint fingerprint;
    private final TunnelListener listener;

    TunnelAdapter(TunnelAgent agent, String overlay, NodeId self, String bridge, Fingerprint fingerprint,
                  TunnelListener listener) {
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
        Tunnel t = agent.open(TunnelRequest.of(overlay, self.toString(), peer.toString(), bridge), listener);
        return new Handle() {
            @Override
            public IceParams localParameters() {
                return toSignal(t.localParameters());
            }

            @Override
            public void connect(Fingerprint peerFingerprint, IceParams remote) {
                t.connect(org.symphonet.tunnel.Fingerprint.parse(peerFingerprint.hex()), toAgent(remote));
            }

            @Override
            public void close() {
                t.close();
            }
        };
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
