package org.symphonet.simulator.event;

/** A leaf behind {@code node} sends a broadcast frame numbered {@code broadcast}. */
public record Originate(int node, long broadcast) implements Event {
}
