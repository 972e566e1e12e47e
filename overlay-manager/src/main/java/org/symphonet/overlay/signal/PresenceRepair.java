package org.symphonet.overlay.signal;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Which peers get our presence directed to them before a signaling message: those that have not
 * sent us one since they came online, at most once per {@code intervalMillis} each.
 *
 * <p>Why: a peer drops every message whose sender's presence it has not seen ("sender has not
 * announced a node ID"), and a server may lose the presence it owes a peer: an ejabberd cluster
 * once never delivered one node's presence (nor the answer to the probe at the other node's login)
 * across its members, so that node's link requests went unanswered until the periodic re-send
 * minutes later (CI, OverlayNodesEjabberdTest). A directed presence travels the way our messages
 * do, ahead of them on the same stream. A peer that sent us a message knows our presence, so the
 * common case costs nothing. Not thread-safe: the signaling thread's.
 */
final class PresenceRepair {
    private final long intervalMillis;
    private final Set<String> heardFrom = new HashSet<>();
    private final Map<String, Long> directedAt = new HashMap<>();

    PresenceRepair(long intervalMillis) {
        this.intervalMillis = intervalMillis;
    }

    /** Whether a message to {@code jid} now should follow a directed presence; if so, noted as sent. */
    boolean presenceDue(String jid, long nowMillis) {
        if (heardFrom.contains(jid)) {
            return false;
        }
        Long last = directedAt.get(jid);
        if (last != null && nowMillis - last < intervalMillis) {
            return false;
        }
        directedAt.put(jid, nowMillis);
        return true;
    }

    /** {@code jid} sent us a valid message: it has our presence. */
    void heardFrom(String jid) {
        heardFrom.add(jid);
        directedAt.remove(jid);
    }

    /** {@code jid} went offline or came back as a new run: it may have lost our presence. */
    void forget(String jid) {
        heardFrom.remove(jid);
        directedAt.remove(jid);
    }
}
