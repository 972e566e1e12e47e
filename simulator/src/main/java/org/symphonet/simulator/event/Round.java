package org.symphonet.simulator.event;

/**
 * A node recomputes its wanted links and takes the planner's steps (the node's topology timer).
 * A round asked for early (a link died) starts a new generation, and the old timer chain stops.
 */
public record Round(int node, long generation) implements Event {
}
