package org.symphonet.simulator.event;

/** A link-close from {@code from} reaches {@code to}. */
public record LinkCloseArrival(int to, int from) implements Event {
}
