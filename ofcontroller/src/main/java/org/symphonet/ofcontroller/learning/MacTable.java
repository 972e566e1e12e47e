package org.symphonet.ofcontroller.learning;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntPredicate;

/**
 * Which port each MAC was last seen on, for one bridge. MACs are 48-bit values in a long so the
 * packet-in path does not build address objects just to look one up. Owned by one thread.
 */
public final class MacTable {

    /** Returned by {@link #learn} and {@link #portOf} when the MAC was not known. */
    public static final int UNKNOWN = -1;

    private final Map<Long, Integer> portOf = new HashMap<>();
    /** MACs whose source flow the switch holds: the rest are learned from their first frame only. */
    private final Set<Long> withSourceFlow = new HashSet<>();
    /**
     * MACs the switch holds no flow for yet, with when they were learned, oldest first: no
     * FLOW_REMOVED will ever age them, so {@link #expireFlowless} does.
     */
    private final LinkedHashMap<Long, Long> flowlessSince = new LinkedHashMap<>();
    private final int capacity;
    /** Counts MACs forgotten to make room; a bridge passes its metrics counter so nobody has to diff. */
    private final LongAdder evictions;

    public MacTable(int capacity) {
        this(capacity, new LongAdder());
    }

    public MacTable(int capacity, LongAdder evictions) {
        this.capacity = capacity;
        this.evictions = evictions;
    }

    /**
     * Records {@code mac} on {@code port}. Returns the port it was on before: {@link #UNKNOWN} for a
     * new MAC, {@code port} itself when nothing changed, another port for a move. A full table makes
     * room by forgetting the MAC that has gone longest without any flow (the switch holds nothing
     * for it, so forgetting costs no flow-mod, and a one-shot MAC is the likeliest never to be
     * needed again). When every MAC has a flow the new one is not recorded (returns
     * {@link #UNKNOWN}, {@link #contains} stays false): memory stays bounded under a MAC flood and
     * its frames still get flooded.
     */
    public int learn(long mac, int port) {
        Integer before = portOf.get(mac);
        if (before == null) {
            if (portOf.size() >= capacity && !evictOldestFlowless()) {
                return UNKNOWN;
            }
            portOf.put(mac, port);
            return UNKNOWN;
        }
        if (before != port) {
            portOf.put(mac, port);
            withSourceFlow.remove(mac);
        }
        return before;
    }

    private boolean evictOldestFlowless() {
        var it = flowlessSince.keySet().iterator();
        if (!it.hasNext()) {
            return false;
        }
        long oldest = it.next();
        it.remove();
        portOf.remove(oldest);
        withSourceFlow.remove(oldest);
        evictions.increment();
        return true;
    }

    /** How many MACs were forgotten to make room for new ones since this table was made. */
    public long evicted() {
        return evictions.sum();
    }

    /** {@code mac} was learned at {@code nanos} and the switch holds no flow for it. */
    public void flowless(long mac, long nanos) {
        if (portOf.containsKey(mac)) {
            flowlessSince.put(mac, nanos);
        }
    }

    /** The switch holds a flow for {@code mac} now: that flow's FLOW_REMOVED will age it. */
    public void flowInstalled(long mac) {
        flowlessSince.remove(mac);
    }

    /** Forgets the MACs that have been without any flow since before {@code cutoffNanos}; returns how many. */
    public int expireFlowless(long cutoffNanos) {
        int n = 0;
        var it = flowlessSince.entrySet().iterator();
        while (it.hasNext()) {
            var e = it.next();
            if (e.getValue() - cutoffNanos >= 0) {
                break; // insertion order is age order
            }
            it.remove();
            portOf.remove(e.getKey());
            withSourceFlow.remove(e.getKey());
            n++;
        }
        return n;
    }

    /** The switch now holds a source flow for {@code mac} (on the port it is known on). */
    public void sourceFlowInstalled(long mac) {
        if (portOf.containsKey(mac)) {
            withSourceFlow.add(mac);
            flowlessSince.remove(mac);
        }
    }

    /** True when {@code mac} is known and the switch holds a flow for it (it is not waiting for its first). */
    public boolean hasFlow(long mac) {
        return portOf.containsKey(mac) && !flowlessSince.containsKey(mac);
    }

    public boolean hasSourceFlow(long mac) {
        return withSourceFlow.contains(mac);
    }

    public boolean contains(long mac) {
        return portOf.containsKey(mac);
    }

    public int portOf(long mac) {
        Integer p = portOf.get(mac);
        return p == null ? UNKNOWN : p;
    }

    public void forget(long mac) {
        portOf.remove(mac);
        withSourceFlow.remove(mac);
        flowlessSince.remove(mac);
    }

    /** Forgets every MAC on {@code port} and returns them. */
    public List<Long> forgetPort(int port) {
        List<Long> gone = new ArrayList<>();
        var it = portOf.entrySet().iterator();
        while (it.hasNext()) {
            var e = it.next();
            if (e.getValue() == port) {
                gone.add(e.getKey());
                withSourceFlow.remove(e.getKey());
                flowlessSince.remove(e.getKey());
                it.remove();
            }
        }
        return gone;
    }

    /** The MACs on ports matching {@code ports}, e.g. all leaf ports. */
    public List<Long> macsOn(IntPredicate ports) {
        List<Long> out = new ArrayList<>();
        portOf.forEach((mac, port) -> {
            if (ports.test(port)) {
                out.add(mac);
            }
        });
        return out;
    }

    public int size() {
        return portOf.size();
    }

    public void clear() {
        portOf.clear();
        withSourceFlow.clear();
        flowlessSince.clear();
    }

    /** Reads the 48-bit MAC at {@code off} of a frame. */
    public static long macAt(byte[] frame, int off) {
        long v = 0;
        for (int i = 0; i < 6; i++) {
            v = (v << 8) | (frame[off + i] & 0xffL);
        }
        return v;
    }

    /** Group bit set: broadcast or multicast. */
    public static boolean isGroup(long mac) {
        return (mac & 0x0100_0000_0000L) != 0;
    }
}
