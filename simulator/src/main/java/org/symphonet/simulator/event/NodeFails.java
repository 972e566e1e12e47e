package org.symphonet.simulator.event;

/** A node crashes: no goodbye, its peers find out by liveness and presence. */
public record NodeFails(int node) implements Event {
}
