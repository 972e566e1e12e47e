package org.symphonet.overlay.node;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
    private final java.util.concurrent.Executor opener;
    private final java.util.concurrent.Executor closer;
    private final java.util.concurrent.Executor control;
    /**
     * The last open or close queued per peer: the agent holds one tunnel per peer, so each waits
     * for the one before. Touched on the control thread only.
     */
    private final Map<NodeId, java.util.concurrent.CompletableFuture<Void>> lastOp = new HashMap<>();

    /**
     * @param opener  where tunnels are opened (candidates gathered): never the control thread
     * @param closer  where tunnels are closed: never the control thread either, since ice4j can
     *                deadlock closing a TURN-relayed socket while its send thread runs (seen at 32
     *                nodes; it froze the whole node) and a close waits for the tunnel's threads
     * @param control the control thread, where {@link #openAsync} results are handed over
     */
    TunnelAdapter(TunnelAgent agent, String overlay, NodeId self, String bridge, Fingerprint fingerprint,
                  Events listener, java.util.concurrent.Executor opener, java.util.concurrent.Executor closer,
                  java.util.concurrent.Executor control) {
        this.opener = opener;
        this.closer = closer;
        this.control = control;
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
        AgentHandle handle = new AgentHandle(peer);
        handle.tunnel = agent.open(TunnelRequest.of(overlay, self.toString(), peer.toString(), bridge),
                event -> listener.onEvent(handle, event));
        return handle;
    }

    @Override
    public void openAsync(NodeId peer, Opened done) {
        inOrder(peer, opener, () -> {
            Handle h;
            try {
                h = open(peer);
            } catch (IOException | RuntimeException e) {
                control.execute(() -> done.opened(null, e));
                return;
            }
            control.execute(() -> done.opened(h, null));
        });
    }

    /** Runs {@code op} on {@code executor} after every open and close queued earlier for {@code peer}. */
    private void inOrder(NodeId peer, java.util.concurrent.Executor executor, Runnable op) {
        java.util.concurrent.CompletableFuture<Void> before = lastOp.getOrDefault(peer,
                java.util.concurrent.CompletableFuture.completedFuture(null));
        lastOp.put(peer, before.thenRunAsync(op, executor).exceptionally(e -> null));
    }

    /**
     * One agent tunnel as a link manager's handle. Events name this handle, not just the peer, so a
     * replaced tunnel's late events are recognised as such.
     */
    private final class AgentHandle implements Handle {
        private final NodeId peer;
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

        AgentHandle(NodeId peer) {
            this.peer = peer;
        }

        /** Called on the control thread; the close itself runs on the closer, in order with this peer's opens. */
        @Override
        public void close() {
            inOrder(peer, closer, tunnel::close);
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
