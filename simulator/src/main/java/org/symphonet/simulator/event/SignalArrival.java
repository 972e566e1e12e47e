package org.symphonet.simulator.event;

import org.symphonet.overlay.signal.SignalBody;

/** A negotiation message reaches node {@code to} through the signaling server. */
public record SignalArrival(int to, SignalBody body) implements Event {
}
