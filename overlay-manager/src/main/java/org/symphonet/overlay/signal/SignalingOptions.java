package org.symphonet.overlay.signal;

import java.time.Duration;

/**
 * Timing of the XMPP side.
 *
 * @param presenceInterval how often presence is re-sent after login (DESIGN.md §3: "periodically")
 * @param reconnectInitial first reconnect delay; doubles per failure
 * @param reconnectMax     longest reconnect delay
 * @param connectTimeout   TCP connect and reply timeout
 * @param pingInterval     XMPP ping to the server: the only way to notice a server that vanished
 *                         without closing the TCP connection (a NAT dropping state, a dead host)
 */
public record SignalingOptions(Duration presenceInterval, Duration reconnectInitial, Duration reconnectMax,
                               Duration connectTimeout, Duration pingInterval) {

    public static final SignalingOptions DEFAULT = new SignalingOptions(Duration.ofMinutes(5), Duration.ofSeconds(1),
            Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofSeconds(60));

    public SignalingOptions {
        if (presenceInterval.toMillis() < 1 || pingInterval.toSeconds() < 1 || connectTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("signaling intervals must be positive (ping at least 1 s)");
        }
    }

    /** The same with presence re-sent every {@code d} (the node's {@code xmpp.presence-interval}). */
    public SignalingOptions withPresenceInterval(Duration d) {
        return new SignalingOptions(d, reconnectInitial, reconnectMax, connectTimeout, pingInterval);
    }
}
