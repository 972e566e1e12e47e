package org.symphonet.simulator.event;

/** An encoded FRB frame reaches {@code to} over its link from {@code from}. */
public record FrbArrival(int to, int from, byte[] frame) implements Event {
}
