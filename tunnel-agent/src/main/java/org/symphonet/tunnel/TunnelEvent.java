package org.symphonet.tunnel;

import java.net.InetSocketAddress;
import java.time.Instant;

/** Events reported upward to the overlay manager. Immutable; safe to hand to any thread. */
public sealed interface TunnelEvent permits TunnelEvent.Up, TunnelEvent.Down, TunnelEvent.Stats {

    TunnelId tunnel();

    Instant at();

    /** DTLS is established, the TAP is attached to the bridge, frames flow. */
    record Up(TunnelId tunnel, Instant at, LinkType linkType, String tapName,
              InetSocketAddress local, InetSocketAddress remote) implements TunnelEvent {
    }

    /** The tunnel is gone (or never came up); TAP and OVS port are already removed. */
    record Down(TunnelId tunnel, Instant at, DownReason reason, String detail) implements TunnelEvent {
    }

    /** Periodic counters while the tunnel is up. */
    record Stats(TunnelId tunnel, Instant at, TunnelCounters.Snapshot counters) implements TunnelEvent {
    }
}
