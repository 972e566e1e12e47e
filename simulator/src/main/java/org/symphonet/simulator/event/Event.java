package org.symphonet.simulator.event;

/**
 * Something that happens at one instant of simulated time. Every event is an immutable record
 * naming nodes by their index in the simulation, so millions of them stay small.
 */
public sealed interface Event permits Round, FrbArrival, SignalArrival, LinkTick, TunnelReady, TunnelLost,
        NodeFails, NodeJoins, MembershipTick, Check, Originate, PresenceLost {
}
