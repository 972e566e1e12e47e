package org.symphonet.ofcontroller.learning;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.LongPredicate;

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
    /** One (MAC, IPv4) entry of a leaf-addresses payload; FrbCodec.ADDRESS_ENTRY carries it unchanged. */
    public static final int ENTRY_BYTES = 6 + 4;

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
    public boolean learn(ArpFrame arp, long nowNanos) {
        return learn(arp.senderIp(), arp.senderMac(), nowNanos);
    }

    /**
     * {@code mac} owns {@code ip} (from an ARP packet, or a remote bridge's leaf-addresses
     * announcement). True when that is news: the address was unknown, stale or another MAC's.
     */
    public boolean learn(int ip, long mac, long nowNanos) {
        if (ip == 0 || mac == 0 || MacTable.isGroup(mac)) {
            return false;
        }
        Binding before = byIp.remove(ip); // re-insert: eviction order is by last sighting
        byIp.put(ip, new Binding(mac, nowNanos));
        return before == null || before.mac() != mac || nowNanos - before.seenNanos() > maxAgeNanos;
    }

    /**
     * The fresh bindings whose MAC {@code local} accepts (the leaves behind this bridge), as
     * 10-byte entries (MAC, then IPv4 address, both big-endian) for a leaf-addresses announcement.
     */
    public byte[] entriesOf(LongPredicate local, long nowNanos) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (Map.Entry<Integer, Binding> e : byIp.entrySet()) {
            Binding b = e.getValue();
            if (nowNanos - b.seenNanos() <= maxAgeNanos && local.test(b.mac())) {
                for (int i = 0; i < 6; i++) {
                    out.write((int) (b.mac() >>> (40 - 8 * i)));
                }
                int ip = e.getKey();
                out.write(ip >>> 24);
                out.write(ip >>> 16);
                out.write(ip >>> 8);
                out.write(ip);
            }
        }
        return out.toByteArray();
    }

    /**
     * Learns the (MAC, address) entries of a remote bridge's leaf-addresses payload (see
     * {@link #entriesOf}), except for an address a MAC that {@code local} accepts holds fresh: what
     * this bridge saw its own leaf say wins over what another bridge last heard.
     */
    public void learnEntries(byte[] entries, LongPredicate local, long nowNanos) {
        for (int off = 0; off + ENTRY_BYTES <= entries.length; off += ENTRY_BYTES) {
            long mac = MacTable.macAt(entries, off);
            int ip = ((entries[off + 6] & 0xff) << 24) | ((entries[off + 7] & 0xff) << 16)
                    | ((entries[off + 8] & 0xff) << 8) | (entries[off + 9] & 0xff);
            Binding now = byIp.get(ip);
            if (now != null && now.mac() != mac && nowNanos - now.seenNanos() <= maxAgeNanos && local.test(now.mac())) {
                continue;
            }
            learn(ip, mac, nowNanos);
        }
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
