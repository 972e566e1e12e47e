package org.symphonet.overlay.signal;

/**
 * What {@link XmppSignaling} reports. All calls come from one thread, in order, never at the same
 * time; a listener that blocks delays all later events, so hand long work to another thread.
 */
public interface SignalListener {

    /** A trusted peer announced itself, or changed its overlay list. */
    void peerOnline(Peer peer);

    /** A peer went offline, lost trust, or our own connection dropped. */
    void peerOffline(Peer peer);

    /** A valid body from a trusted, online peer, addressed to this node, with {@code from} matching its presence. */
    void received(Peer from, SignalBody body);

    /** A stanza was dropped; already logged. For counters and tests. */
    default void dropped(String fromJid, String reason) {
    }

    /** Logged in with roster loaded and presence sent ({@code true}), or connection lost ({@code false}). */
    default void connectionChanged(boolean up) {
    }
}
