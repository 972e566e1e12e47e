package org.symphonet.simulator.event;

/** A node (already created, not yet online) logs in and joins the overlay. */
public record NodeJoins(int node) implements Event {
}
