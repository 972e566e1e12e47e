package org.symphonet.overlay.node;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.symphonet.overlay.signal.Peer;

/**
 * The peers signaling shows online, by full JID, as the node's control thread has been told. Written
 * by the control thread only; a concurrent map because status snapshots read it from other threads.
 *
 * <p>After (re)connecting, the node keeps only the peers the server still shows ({@link #retainPresent}).
 * The server's list is taken on the signaling thread while presences go on arriving, and the
 * control thread may learn of a presence newer than that list before it applies the list: such a
 * peer must stay. Dropping it silently lost one member at 3 of 32 nodes in a benchmark run (their
 * switches then dropped every FRB rooted at it, and pairs with it never reached: issue 16).
 */
final class OnlinePeers {

    private final Map<String, Peer> byJid = new ConcurrentHashMap<>();
    /** When (in {@link #seq} order) each peer's latest presence reached the control thread. */
    private final Map<String, Long> seenAt = new HashMap<>();
    private long seq;

    void online(Peer peer) {
        byJid.put(peer.jid(), peer);
        seenAt.put(peer.jid(), ++seq);
    }

    void offline(Peer peer) {
        byJid.remove(peer.jid());
        seenAt.remove(peer.jid());
    }

    /** Take this before asking signaling for its list; hand it to {@link #retainPresent}. */
    long mark() {
        return seq;
    }

    /**
     * Forgets the peers missing from {@code present} (signaling's list, asked for after {@code mark})
     * whose presence reached us no later than the mark: they left while we were away. A peer whose
     * presence came after the mark may be newer than the list and stays. True if any was forgotten.
     */
    boolean retainPresent(Set<String> present, long mark) {
        return byJid.keySet().removeIf(jid -> {
            boolean gone = !present.contains(jid) && seenAt.getOrDefault(jid, 0L) <= mark;
            if (gone) {
                seenAt.remove(jid);
            }
            return gone;
        });
    }

    Collection<Peer> values() {
        return byJid.values();
    }
}
