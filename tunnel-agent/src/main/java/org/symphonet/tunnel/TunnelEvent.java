package org.symphonet.tunnel;

import java.net.InetSocketAddress;
import java.time.Instant;

/** Events reported upward to the overlay manager. Immutable; safe to hand to any thread. */
public sealed interface TunnelEvent permits TunnelEvent.Up, TunnelEvent.Lost, TunnelEvent.Down,
        TunnelEvent.Stats {

    TunnelId tunnel();

    Instant at();

    /** DTLS is established, the TAP is attached to the bridge, frames flow. */
    record Up(TunnelId tunnel, Instant at, LinkType linkType, String tapName,
              InetSocketAddress local, InetSocketAddress remote) implements TunnelEvent {
    }

    /**
     * An up tunnel stopped carrying frames (its peer went silent or closed it, or it is being closed
     * here): sent first thing, before the teardown, which then runs (data path threads, sockets,
     * {@code ovs-vsctl del-port}, TAP) and ends with {@link Down}. That teardown took 1-3 s with ten
     * neighbours of a killed node deleting their ports at once; the manager takes the port out of the
     * switch's forwarding view on this event instead of waiting for it (issue 16, heal).
     */
    record Lost(TunnelId tunnel, Instant at, DownReason reason, String detail) implements TunnelEvent {
    }

    /** The tunnel is gone (or never came up); TAP and OVS port are already removed. */
    record Down(TunnelId tunnel, Instant at, DownReason reason, String detail) implements TunnelEvent {
    }

    /** Periodic counters while the tunnel is up. */
    record Stats(TunnelId tunnel, Instant at, TunnelCounters.Snapshot counters) implements TunnelEvent {
    }
}
