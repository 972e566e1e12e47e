package org.symphonet.ofcontroller.discovery;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which probes arrived where, and the switch-to-switch links they prove. A link is up once probes
 * crossed it both ways, and stays up while probes cross it either way within the timeout; a port that hears probes from more than one sender (a
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
    /**
     * Receiving port -> when any probe last arrived and from which switch, kept past the timeout:
     * a port whose link timed out while it stayed up is still no leaf (see {@link #heardWithin}).
     */
    private final Map<Endpoint, LastProbe> lastHeard = new HashMap<>();

    private record LastProbe(long atNanos, Endpoint from) {
    }

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
        lastHeard.put(at, new LastProbe(nowNanos, from));
        Map<Endpoint, Long> back = heard.get(from);
        if (back == null || !back.containsKey(at)) {
            return true;
        }
        // A proven link stays up while probes cross it either way: under all-pairs load a switch
        // delays or drops packet-ins, and one direction going quiet is far likelier that than a
        // one-way link. A cut link goes down at once by port status on both ends.
        back.put(at, nowNanos);
        return false;
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
        lastHeard.remove(e);
        // Its far end hears nothing from it now for a known reason: it may settle (as a leaf if it stays silent).
        lastHeard.values().removeIf(p -> p.from().equals(e));
        heard.values().forEach(s -> s.remove(e));
        heard.values().removeIf(Map::isEmpty);
    }

    public void forgetSwitch(long datapathId) {
        heard.keySet().removeIf(e -> e.datapathId() == datapathId);
        lastHeard.keySet().removeIf(e -> e.datapathId() == datapathId);
        // A switch that left forwards nothing of ours (fail-secure): the ports toward it may settle as leaves.
        lastHeard.values().removeIf(p -> p.from().datapathId() == datapathId);
        heard.values().forEach(s -> s.keySet().removeIf(e -> e.datapathId() == datapathId));
        heard.values().removeIf(Map::isEmpty);
    }

    /** A probe arrived at this port (from anyone) within the timeout. */
    public boolean heardAt(Endpoint e) {
        return heard.containsKey(e);
    }

    /**
     * A probe arrived at this port within {@code windowNanos}, even if the link it proved timed out
     * since. Probes get lost when a loaded switch or controller drops packet-ins; a port that
     * proved a link and stayed up must not turn into a leaf port then, or it and its far end
     * would both flood into the link as leaves and loop broadcasts. Port down/up starts afresh.
     */
    public boolean heardWithin(Endpoint e, long nowNanos, long windowNanos) {
        LastProbe p = lastHeard.get(e);
        return p != null && nowNanos - p.atNanos() <= windowNanos;
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
