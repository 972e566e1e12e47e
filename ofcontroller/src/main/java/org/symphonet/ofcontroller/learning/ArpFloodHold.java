package org.symphonet.ofcontroller.learning;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * When this bridge last flooded an ARP request for each IPv4 address it could not answer itself:
 * a leaf's request for the same address within {@code holdNanos} of that flood is dropped, not
 * flooded again.
 *
 * <p>A Linux leaf asks for each unresolved neighbour once a second, and asks again at the next
 * packet after giving up. While an overlay forms, most such addresses sit behind bridges this one
 * cannot reach yet: each request still became an FRB and a packet-in at every bridge it could
 * reach, none of which could answer (32 nodes starting at once: 55k ARP floods, 992 a second while
 * nothing resolved, the machine saturated for minutes). A bridge that becomes reachable announces
 * its leaves' addresses, after which requests for them are answered here and never held; the hold
 * only delays finding a leaf that never sent ARP itself (a silent host) by at most
 * {@code holdNanos} while it is out of reach. Bounded (the oldest go first); one per bridge, on
 * its thread.
 */
public final class ArpFloodHold {

    private final long holdNanos;
    private final Map<Integer, Long> floodedAt;

    public ArpFloodHold(int capacity, long holdNanos) {
        this.holdNanos = holdNanos;
        this.floodedAt = new LinkedHashMap<>(64, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Integer, Long> eldest) {
                return size() > capacity;
            }
        };
    }

    /**
     * True when a request for {@code targetIp} may be flooded now (none was within the hold), and
     * records the flood; false when it is to be dropped.
     */
    public boolean mayFlood(int targetIp, long nowNanos) {
        Long last = floodedAt.get(targetIp);
        if (last != null && nowNanos - last < holdNanos) {
            return false;
        }
        floodedAt.remove(targetIp); // re-insert: eviction order is by last flood
        floodedAt.put(targetIp, nowNanos);
        return true;
    }

    public int size() {
        return floodedAt.size();
    }
}
