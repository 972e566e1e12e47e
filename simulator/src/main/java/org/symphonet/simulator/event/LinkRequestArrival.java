package org.symphonet.simulator.event;

import org.symphonet.overlay.topology.LinkRole;

/** A link-request from {@code from} reaches {@code to} through the signaling server. */
public record LinkRequestArrival(int to, int from, LinkRole role, long attempt) implements Event {
}
