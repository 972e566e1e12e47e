package org.symphonet.simulator.event;

/**
 * ICE and DTLS between two tunnel ends finished. Each end is named by its node and the serial of
 * its tunnel there, so an end closed (and perhaps reopened) meanwhile is recognised as stale.
 */
public record TunnelReady(int a, long serialA, int b, long serialB, long latencyNanos) implements Event {
}
