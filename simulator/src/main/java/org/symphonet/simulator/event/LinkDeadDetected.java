package org.symphonet.simulator.event;

/** {@code node}'s keepalives to {@code peer} went unanswered for the dead interval. */
public record LinkDeadDetected(int node, int peer) implements Event {
}
