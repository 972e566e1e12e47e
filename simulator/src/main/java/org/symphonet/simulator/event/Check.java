package org.symphonet.simulator.event;

/** The observer samples the whole overlay: connectivity and convergence. Not part of any node. */
public record Check() implements Event {
}
