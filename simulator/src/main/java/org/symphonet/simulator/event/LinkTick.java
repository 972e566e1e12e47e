package org.symphonet.simulator.event;

/**
 * A node's link manager checks its deadlines. The node ticks every second; the simulator ticks
 * only when a deadline can have passed (an answer or connect timeout after it started waiting).
 */
public record LinkTick(int node) implements Event {
}
