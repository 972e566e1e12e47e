package org.symphonet.simulator.overlay;

import java.util.List;

import org.symphonet.ofcontroller.view.NodeId;
import org.symphonet.overlay.identity.Fingerprint;
import org.symphonet.overlay.link.Members;
import org.symphonet.overlay.link.SignalPort;
import org.symphonet.overlay.link.SwitchPort;
import org.symphonet.overlay.link.TunnelPort;
import org.symphonet.overlay.signal.IceCandidate;
import org.symphonet.overlay.signal.IceParams;
import org.symphonet.overlay.signal.SignalBody;
import org.symphonet.overlay.topology.Admission;
import org.symphonet.simulator.event.LinkTick;
import org.symphonet.simulator.event.SignalArrival;

/**
 * What one simulated node's {@link org.symphonet.overlay.link.LinkManager} talks to, over the
 * simulator's event queue: signaling through the XMPP server (reliable, in order, the pair's
 * server delay), tunnels that come up a few underlay round trips after both ends connected, and
 * the node's bridge as the switch.
 */
final class NodePorts implements SignalPort, TunnelPort, SwitchPort {

    /** One certificate fingerprint and one set of ICE parameters for everybody: nobody checks them here. */
    static final Fingerprint FINGERPRINT = new Fingerprint("sha-256 " + "00:".repeat(31) + "00");
    static final IceParams ICE = new IceParams("simu", "simulatedsimulatedsimul",
            List.of(new IceCandidate("1", 1, 1L, IceCandidate.Type.HOST, "192.0.2.1", 1)));
    /** A deadline check one millisecond after the deadline, as the manager compares with "older than". */
    static final long TICK_SLACK_NANOS = 1_000_000L;

    private final Overlay overlay;
    private SimNode node;
    /** Link requests sent since the counter was last reset (the round's Add steps taken). */
    int requests;

    NodePorts(Overlay overlay) {
        this.overlay = overlay;
    }

    void attach(SimNode node) {
        this.node = node;
    }

    @Override
    public void send(SignalBody body) {
        int to = overlay.indexOf(body.to());
        if (body instanceof SignalBody.LinkRequest) {
            requests++;
            overlay.queue.after(overlay.settings.timers().answerTimeout().toNanos() + TICK_SLACK_NANOS,
                    new LinkTick(node.index));
        } else if (body instanceof SignalBody.LinkAccept) {
            overlay.countVerdict(Admission.Verdict.ACCEPT);
        } else if (body instanceof SignalBody.LinkReject reject) {
            switch (reject.reason()) {
                case BUSY -> overlay.countVerdict(Admission.Verdict.REJECT_BUSY);
                case DUPLICATE -> overlay.countVerdict(Admission.Verdict.REJECT_DUPLICATE);
                default -> {
                }
            }
        }
        overlay.queue.after(overlay.wire.signalingDelay(node.index, to), new SignalArrival(to, body));
    }

    @Override
    public Fingerprint localFingerprint() {
        return FINGERPRINT;
    }

    @Override
    public Handle open(NodeId peer) {
        SimTunnel t = new SimTunnel(overlay, node, overlay.node(peer), overlay.nextTunnelSerial());
        SimTunnel old = node.tunnels.put(peer, t);
        if (old != null) {
            old.close(); // the manager closes a link's tunnel before it opens another; never reached
        }
        return t;
    }

    @Override
    public void linkUp(String portName, NodeId peer) {
        int peerIndex = Integer.parseInt(portName);
        node.bridge.attach(peer, peerIndex, overlay.wire.pathLatency(node.index, peerIndex));
        node.everLinked = true;
    }

    @Override
    public void linkDown(String portName) {
        node.bridge.detach(overlay.node(Integer.parseInt(portName)).id);
    }

    @Override
    public void members(Members members) {
        node.bridge.setMembers(members);
    }
}
