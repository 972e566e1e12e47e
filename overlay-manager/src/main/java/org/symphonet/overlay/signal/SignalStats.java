package org.symphonet.overlay.signal;

/**
 * Counters for the status endpoint; {@code tls} is true while the session is encrypted,
 * {@code server} is the configured server in use (or being tried), {@code traffic} what the
 * connection carried.
 */
public record SignalStats(boolean connected, boolean tls, int peers, long received, long sent, long dropped, long reconnects,
                          String server, XmppTraffic traffic) {
}
