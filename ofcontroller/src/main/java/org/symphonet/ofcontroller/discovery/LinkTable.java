package org.symphonet.ofcontroller.discovery;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which probes arrived where, and the switch-to-switch links they prove. A link is up while probes
 * crossed it both ways within the timeout; a port that hears probes from more than one sender (a
 * hub or a non-OpenFlow switch between several of ours) is no point-to-point link and never a peer
 * port. Not thread-safe: {@link FabricDiscovery} guards it.
 */
public final class LinkTable {

    /** One port of one switch. */
    public record Endpoint(long datapathId, int port) implements Comparable<Endpoint> {
        @Override
        public int compareTo(Endpoint o) {
            int c = Long.compareUnsigned(datapathId, o.datapathId);
            return c != 0 ? c : Integer.compareUnsigned(port, o.port);
        }

        @Override
        public String toString() {
            return String.format("%016x:%d", datapathId, port);
        }
    }

    /** A link proven both ways; {@code a} is the smaller end, so a link has one spelling. */
    public record Link(Endpoint a, Endpoint b) {
        public static Link of(Endpoint x, Endpoint y) {
            return x.compareTo(y) <= 0 ? new Link(x, y) : new Link(y, x);
        }
    }

    private final long timeoutNanos;
    /** Receiving port -> sending port -> when its last probe arrived. */
    private final Map<Endpoint, Map<Endpoint, Long>> heard = new HashMap<>();

    public LinkTable(long timeoutNanos) {
        this.timeoutNanos = timeoutNanos;
    }

    /**
     * A probe sent from {@code from} arrived at {@code at}. Returns true when {@code from} has not
     * heard {@code at} yet: answering at once makes a new link count after one round trip, not
     * after the next periodic probe.
     */
    public boolean heard(Endpoint at, Endpoint from, long nowNanos) {
        heard.computeIfAbsent(at, k -> new HashMap<>()).put(from, nowNanos);
        Map<Endpoint, Long> back = heard.get(from);
        return back == null || !back.containsKey(at);
    }

    /** Drops probes older than the timeout. */
    public void expire(long nowNanos) {
        for (Iterator<Map<Endpoint, Long>> it = heard.values().iterator(); it.hasNext(); ) {
            Map<Endpoint, Long> senders = it.next();
            senders.values().removeIf(t -> nowNanos - t > timeoutNanos);
            if (senders.isEmpty()) {
                it.remove();
            }
        }
    }

    /** The port went down or away: whatever crossed it is gone, in both directions. */
    public void forgetPort(Endpoint e) {
        heard.remove(e);
        heard.values().forEach(s -> s.remove(e));
        heard.values().removeIf(Map::isEmpty);
    }

    public void forgetSwitch(long datapathId) {
        heard.keySet().removeIf(e -> e.datapathId() == datapathId);
        heard.values().forEach(s -> s.keySet().removeIf(e -> e.datapathId() == datapathId));
        heard.values().removeIf(Map::isEmpty);
    }

    /** A probe arrived at this port (from anyone) within the timeout. */
    public boolean heardAt(Endpoint e) {
        return heard.containsKey(e);
    }

    /** The other end of this port's link, when the port is one end of a link proven both ways. */
    public Optional<Endpoint> neighbour(Endpoint e) {
        Map<Endpoint, Long> senders = heard.get(e);
        if (senders == null || senders.size() != 1) {
            return Optional.empty();
        }
        Endpoint other = senders.keySet().iterator().next();
        Map<Endpoint, Long> back = heard.get(other);
        if (back == null || back.size() != 1 || !back.containsKey(e) || other.datapathId() == e.datapathId()) {
            return Optional.empty();
        }
        return Optional.of(other);
    }

    /** Every link proven both ways. */
    public Set<Link> links() {
        Set<Link> out = new HashSet<>();
        for (Endpoint e : heard.keySet()) {
            neighbour(e).ifPresent(o -> out.add(Link.of(e, o)));
        }
        return out;
    }
}
