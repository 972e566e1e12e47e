package org.symphonet.simulator.event;

/** The signaling server pushes the presence changes gathered since the last tick. */
public record MembershipTick() implements Event {
}
