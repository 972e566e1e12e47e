package org.symphonet.simulator.event;

/**
 * Keepalives on {@code node}'s tunnel (serial {@code serial}) to {@code peer} went unanswered for
 * the dead interval: the peer crashed or closed its end.
 */
public record TunnelLost(int node, int peer, long serial) implements Event {
}
