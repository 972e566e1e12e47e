package org.symphonet.overlay.signal;

/** Counters for the status endpoint; {@code tls} is true while the session is encrypted. */
public record SignalStats(boolean connected, boolean tls, int peers, long received, long sent, long dropped, long reconnects) {
}
