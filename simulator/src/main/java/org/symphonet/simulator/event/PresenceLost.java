package org.symphonet.simulator.event;

/** The signaling server notices a crashed node's session is gone and withdraws its presence. */
public record PresenceLost(int node) implements Event {
}
