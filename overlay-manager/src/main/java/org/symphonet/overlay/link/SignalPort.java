package org.symphonet.overlay.link;

import org.symphonet.overlay.signal.SignalBody;

/** Where the link manager's negotiation messages go: XMPP in the node, a queue in tests. */
@FunctionalInterface
public interface SignalPort {
    void send(SignalBody body);
}
