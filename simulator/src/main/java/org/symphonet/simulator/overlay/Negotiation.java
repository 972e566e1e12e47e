package org.symphonet.simulator.overlay;

import java.util.EnumMap;
import java.util.Map;

import org.symphonet.ofcontroller.view.NodeId;
import org.symphonet.overlay.topology.Admission;
import org.symphonet.overlay.topology.LinkRole;
import org.symphonet.overlay.topology.LinkState;
import org.symphonet.simulator.event.LinkAnswerArrival;
import org.symphonet.simulator.event.LinkCloseArrival;
import org.symphonet.simulator.event.LinkRequestArrival;
import org.symphonet.simulator.event.NegotiationDeadline;
import org.symphonet.simulator.event.TunnelUp;

/**
 * The link manager's half of DESIGN.md section 3 as timed messages: link-request and answer
 * through the signaling server, the real {@link Admission} deciding (max-links, the collision
 * rule), then ICE and DTLS taking a few round trips of the tunnel's own path.
 */
final class Negotiation {

    private final Overlay overlay;
    private final Map<Admission.Verdict, Long> verdicts = new EnumMap<>(Admission.Verdict.class);
    private long nextAttempt;
    private long timeouts;

    Negotiation(Overlay overlay) {
        this.overlay = overlay;
    }

    Map<Admission.Verdict, Long> verdicts() {
        return verdicts;
    }

    long timeouts() {
        return timeouts;
    }

    void start(SimNode from, NodeId peer, LinkRole role) {
        SimNode to = overlay.node(peer);
        long attempt = ++nextAttempt;
        from.links.put(peer, new LinkState(peer, role, true, false));
        from.attempts.put(peer, attempt);
        overlay.queue.after(overlay.wire.signalingDelay(from.index, to.index),
                new LinkRequestArrival(to.index, from.index, role, attempt));
        overlay.queue.after(overlay.settings.deadlineNanos(), new NegotiationDeadline(from.index, to.index, attempt));
    }

    void onRequest(LinkRequestArrival e) {
        SimNode responder = overlay.node(e.to());
        SimNode requester = overlay.node(e.from());
        if (!responder.alive) {
            return; // nobody answers; the requester's deadline fires
        }
        Admission.Verdict v = Admission.decide(responder.id, requester.id, e.role(), responder.links,
                overlay.settings.params().maxLinks());
        verdicts.merge(v, 1L, Long::sum);
        if (v == Admission.Verdict.ACCEPT || v == Admission.Verdict.ACCEPT_REPLACING) {
            drop(responder, requester.id);
            responder.links.put(requester.id, new LinkState(requester.id, e.role(), false, false));
            responder.attempts.put(requester.id, e.attempt());
            overlay.queue.after(overlay.settings.deadlineNanos(),
                    new NegotiationDeadline(responder.index, requester.index, e.attempt()));
        }
        overlay.queue.after(overlay.wire.signalingDelay(responder.index, requester.index),
                new LinkAnswerArrival(requester.index, responder.index, v, e.attempt()));
    }

    void onAnswer(LinkAnswerArrival e) {
        SimNode initiator = overlay.node(e.to());
        SimNode responder = overlay.node(e.from());
        if (!initiator.alive || !Long.valueOf(e.attempt()).equals(initiator.attempts.get(responder.id))) {
            return; // superseded, or we gave up already
        }
        switch (e.verdict()) {
            case ACCEPT, ACCEPT_REPLACING -> {
                long latency = overlay.wire.pathLatency(initiator.index, responder.index);
                long setup = 2L * overlay.settings.setupRoundTrips() * latency;
                overlay.queue.after(setup, new TunnelUp(initiator.index, responder.index, e.attempt(), latency));
            }
            case REJECT_DUPLICATE -> drop(initiator, responder.id); // the peer's own request makes the link
            case REJECT_BUSY -> {
                drop(initiator, responder.id);
                backoff(initiator, responder.id);
            }
        }
    }

    void onTunnelUp(TunnelUp e) {
        SimNode a = overlay.node(e.initiator());
        SimNode b = overlay.node(e.responder());
        if (!pending(a, b.id, e.attempt()) || !pending(b, a.id, e.attempt())) {
            return; // one side died or gave up; its survivor's deadline cleans up
        }
        LinkState la = a.links.get(b.id);
        LinkState lb = b.links.get(a.id);
        a.links.put(b.id, new LinkState(b.id, la.role(), true, true));
        b.links.put(a.id, new LinkState(a.id, lb.role(), false, true));
        a.attempts.remove(b.id);
        b.attempts.remove(a.id);
        forgive(a, b.id);
        forgive(b, a.id);
        a.bridge.attach(b.id, b.index, e.latencyNanos());
        b.bridge.attach(a.id, a.index, e.latencyNanos());
        a.everLinked = true;
        b.everLinked = true;
    }

    void onDeadline(NegotiationDeadline e) {
        SimNode node = overlay.node(e.node());
        SimNode peer = overlay.node(e.peer());
        if (!pending(node, peer.id, e.attempt())) {
            return;
        }
        boolean outbound = node.links.get(peer.id).outbound();
        drop(node, peer.id);
        timeouts++;
        if (outbound) {
            backoff(node, peer.id);
        }
    }

    /** LinkManager.backoff, with the node's own {@link org.symphonet.overlay.link.LinkTimers#retryWait}. */
    void backoff(SimNode node, NodeId peer) {
        int n = node.failures.merge(peer, 1, Integer::sum);
        node.retryAt.put(peer, overlay.queue.now() + overlay.settings.timers().retryWait(n).toNanos());
    }

    /** A tunnel came up: the peer's failure record is wiped, as LinkManager does. */
    private static void forgive(SimNode node, NodeId peer) {
        node.failures.remove(peer);
        node.retryAt.remove(peer);
    }

    /** The planner removes an outbound link: close here, tell the peer. */
    void close(SimNode node, NodeId peer) {
        drop(node, peer);
        int to = overlay.indexOf(peer);
        overlay.queue.after(overlay.wire.signalingDelay(node.index, to), new LinkCloseArrival(to, node.index));
    }

    void onClose(LinkCloseArrival e) {
        SimNode node = overlay.node(e.to());
        if (node.alive) {
            drop(node, overlay.node(e.from()).id);
        }
    }

    /** Forgets a link or pending request locally and takes its port off the bridge. */
    void drop(SimNode node, NodeId peer) {
        if (node.links.remove(peer) != null) {
            node.attempts.remove(peer);
            node.bridge.detach(peer);
        }
    }

    private static boolean pending(SimNode node, NodeId peer, long attempt) {
        if (!node.alive || !Long.valueOf(attempt).equals(node.attempts.get(peer))) {
            return false;
        }
        LinkState l = node.links.get(peer);
        return l != null && !l.up();
    }
}
