package org.symphonet.ofcontroller.learning;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Which MAC each IPv4 address had when the bridge last saw it in an ARP packet (a leaf's own, or
 * one that arrived in a flood). With it the bridge answers a leaf's ARP request for a remote leaf
 * itself instead of flooding it to every bridge of the overlay (ARP suppression): when many leaves
 * start at once each resolves every other, n*(n-1) broadcasts each crossing n-1 tunnels, and on a
 * loaded machine that load alone kept a 32-node overlay from reaching all pairs for minutes.
 *
 * <p>A binding is only used while it is fresh ({@code maxAgeNanos} since it was last seen): an
 * address that moved to another MAC without a gratuitous ARP is then asked for by flood again.
 * Bounded (least recently refreshed go first); not thread-safe: one per bridge, on its thread.
 */
public final class ArpBindings {

    private record Binding(long mac, long seenNanos) {
    }

    private final long maxAgeNanos;
    private final Map<Integer, Binding> byIp;

    public ArpBindings(int capacity, long maxAgeNanos) {
        this.maxAgeNanos = maxAgeNanos;
        this.byIp = new LinkedHashMap<>(64, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Integer, Binding> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The sender of {@code arp} owns its sender address (probes and group senders teach nothing). */
    public void learn(ArpFrame arp, long nowNanos) {
        if (arp.senderIp() == 0 || arp.senderMac() == 0 || MacTable.isGroup(arp.senderMac())) {
            return;
        }
        byIp.remove(arp.senderIp()); // re-insert: eviction order is by last sighting
        byIp.put(arp.senderIp(), new Binding(arp.senderMac(), nowNanos));
    }

    /** The MAC of {@code ip} if it was seen within the maximum age. */
    public OptionalLong macOf(int ip, long nowNanos) {
        Binding b = byIp.get(ip);
        if (b == null || nowNanos - b.seenNanos() > maxAgeNanos) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(b.mac());
    }

    public int size() {
        return byIp.size();
    }
}
