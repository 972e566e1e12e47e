package org.symphonet.simulator.event;

/** The negotiation deadline of attempt {@code attempt} at {@code node} toward {@code peer}. */
public record NegotiationDeadline(int node, int peer, long attempt) implements Event {
}
