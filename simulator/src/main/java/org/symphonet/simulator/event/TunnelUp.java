package org.symphonet.simulator.event;

/** ICE and DTLS finished for attempt {@code attempt}; the tunnel's one-way path latency rides along. */
public record TunnelUp(int initiator, int responder, long attempt, long latencyNanos) implements Event {
}
