package org.symphonet.collector;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.symphonet.overlay.report.NodeReport;
import org.symphonet.overlay.status.NodeStatus;

/**
 * The collector's state: the last report of every node, the merged links of every overlay, and the
 * event history. Turns each accepted report into events (node join, link up/down/change) and, on
 * {@link #expire}, notices nodes that stopped reporting. Mutable and confined to one thread (the
 * collector's state thread); it hands out immutable {@link OverlayView}s.
 */
final class GlobalView {

    /** Missed report intervals after which a node counts as offline. */
    static final int MISSED_INTERVALS = 3;
    /** Never call a node offline sooner than this, whatever interval it claims. */
    static final long MIN_OFFLINE_MILLIS = 3_000;

    enum Outcome { ACCEPTED, FULL }

    /** One reporting node. */
    private static final class Entry {
        NodeReport report;
        long receivedAt;
        boolean online;
        /** overlay -> peer -> the node's link to it (when it reports two, the one that is up). */
        Map<String, Map<String, NodeStatus.Link>> links = Map.of();
    }

    private record Pair(String lo, String hi) {
        static Pair of(String x, String y) {
            return x.compareTo(y) < 0 ? new Pair(x, y) : new Pair(y, x);
        }
    }

    private final int maxNodes;
    private final long forgetAfterMillis;
    private final EventHistory history;
    private final Map<String, Entry> nodes = new HashMap<>();
    /** overlay -> pair -> merged link, for every pair some online node reports. */
    private final Map<String, Map<Pair, OverlayView.Link>> merged = new TreeMap<>();
    private final Set<String> dirty = new HashSet<>();

    GlobalView(int maxNodes, long forgetAfterMillis, EventHistory history) {
        this.maxNodes = maxNodes;
        this.forgetAfterMillis = forgetAfterMillis;
        this.history = history;
    }

    /** Takes a validated report; returns FULL (and changes nothing) when a new node would exceed the cap. */
    Outcome apply(NodeReport r, long now, List<CollectorEvent> out) {
        String id = r.status().node();
        Entry e = nodes.get(id);
        if (e == null) {
            if (nodes.size() >= maxNodes && !evictOneOffline()) {
                return Outcome.FULL;
            }
            e = new Entry();
            nodes.put(id, e);
        }
        Set<String> before = e.report == null || !e.online ? Set.of() : overlaysOf(e.report);
        Map<String, Map<String, NodeStatus.Link>> oldLinks = e.online ? e.links : Map.of();
        e.report = r;
        e.receivedAt = now;
        e.online = true;
        e.links = linksOf(r.status());
        for (String o : overlaysOf(r)) {
            if (!before.contains(o)) {
                out.add(history.add(now, o, "node-join", id, null, "version " + r.status().version()));
            }
            dirty.add(o);
        }
        for (String o : before) {
            if (!e.links.containsKey(o)) {
                out.add(history.add(now, o, "node-leave", id, null, "no longer serves the overlay"));
                dirty.add(o);
            }
        }
        relink(id, oldLinks, e.links, now, out);
        return Outcome.ACCEPTED;
    }

    /** Marks nodes whose reports stopped as offline, and forgets those offline for too long. */
    void expire(long now, List<CollectorEvent> out) {
        List<String> forget = new ArrayList<>();
        for (Map.Entry<String, Entry> me : nodes.entrySet()) {
            Entry e = me.getValue();
            long silent = now - e.receivedAt;
            if (e.online && silent > offlineAfter(e)) {
                e.online = false;
                for (String o : e.links.keySet()) {
                    out.add(history.add(now, o, "node-leave", me.getKey(), null,
                            "no report for " + silent / 1000 + " s"));
                    dirty.add(o);
                }
                relink(me.getKey(), e.links, Map.of(), now, out);
            } else if (!e.online && silent > forgetAfterMillis) {
                forget.add(me.getKey());
            }
        }
        for (String id : forget) {
            dirty.addAll(nodes.remove(id).links.keySet());
        }
    }

    private static long offlineAfter(Entry e) {
        return Math.max(MIN_OFFLINE_MILLIS, MISSED_INTERVALS * e.report.intervalMillis());
    }

    /** Room for a new node: forget the offline node silent the longest, if there is one. */
    private boolean evictOneOffline() {
        String oldest = null;
        long at = Long.MAX_VALUE;
        for (Map.Entry<String, Entry> me : nodes.entrySet()) {
            if (!me.getValue().online && me.getValue().receivedAt < at) {
                at = me.getValue().receivedAt;
                oldest = me.getKey();
            }
        }
        if (oldest == null) {
            return false;
        }
        dirty.addAll(nodes.remove(oldest).links.keySet());
        return true;
    }

    /** Re-merges every pair of {@code id}'s old and new links and records what changed. */
    private void relink(String id, Map<String, Map<String, NodeStatus.Link>> before,
                        Map<String, Map<String, NodeStatus.Link>> after, long now, List<CollectorEvent> out) {
        Set<String> overlays = new TreeSet<>(before.keySet());
        overlays.addAll(after.keySet());
        for (String o : overlays) {
            Set<String> peers = new TreeSet<>(before.getOrDefault(o, Map.of()).keySet());
            peers.addAll(after.getOrDefault(o, Map.of()).keySet());
            Map<Pair, OverlayView.Link> links = merged.computeIfAbsent(o, k -> new HashMap<>());
            for (String peer : peers) {
                Pair p = Pair.of(id, peer);
                OverlayView.Link old = links.get(p);
                OverlayView.Link now2 = LinkMerge.merge(id, reportedLink(id, o, peer), peer, reportedLink(peer, o, id));
                if (now2 == null) {
                    links.remove(p);
                } else {
                    links.put(p, now2);
                }
                linkEvent(o, old, now2, now, out);
                dirty.add(o);
            }
            if (links.isEmpty()) {
                merged.remove(o);
            }
        }
    }

    private void linkEvent(String overlay, OverlayView.Link old, OverlayView.Link now2, long now, List<CollectorEvent> out) {
        boolean wasUp = old != null && "up".equals(old.state());
        boolean isUp = now2 != null && "up".equals(now2.state());
        if (!wasUp && isUp) {
            out.add(history.add(now, overlay, "link-up", now2.a(), now2.b(), now2.kind() + " " + now2.type()));
        } else if (wasUp && !isUp) {
            out.add(history.add(now, overlay, "link-down", old.a(), old.b(), old.kind() + " " + old.type()));
        } else if (wasUp && (!Objects.equals(old.type(), now2.type()) || !Objects.equals(old.kind(), now2.kind()))) {
            out.add(history.add(now, overlay, "link-change", now2.a(), now2.b(),
                    old.kind() + " " + old.type() + " -> " + now2.kind() + " " + now2.type()));
        }
    }

    /** What {@code node} reports about its link to {@code peer} in an overlay, if it is online. */
    private NodeStatus.Link reportedLink(String node, String overlay, String peer) {
        Entry e = nodes.get(node);
        if (e == null || !e.online) {
            return null;
        }
        return e.links.getOrDefault(overlay, Map.of()).get(peer);
    }

    private static Set<String> overlaysOf(NodeReport r) {
        Set<String> s = new TreeSet<>();
        r.status().overlays().forEach(o -> s.add(o.id()));
        return s;
    }

    private static Map<String, Map<String, NodeStatus.Link>> linksOf(NodeStatus s) {
        Map<String, Map<String, NodeStatus.Link>> m = new HashMap<>();
        for (NodeStatus.Overlay o : s.overlays()) {
            Map<String, NodeStatus.Link> byPeer = new HashMap<>();
            for (NodeStatus.Link l : o.links()) {
                // Two links to one peer happen for a moment when both ends ask at once: keep the one that is up.
                byPeer.merge(l.peer(), l, (p, q) -> "up".equals(q.state()) ? q : p);
            }
            m.put(o.id(), byPeer);
        }
        return m;
    }

    /** Overlays changed since the last call (their views must be rebuilt); clears the set. */
    Set<String> takeDirty() {
        Set<String> d = new TreeSet<>(dirty);
        dirty.clear();
        return d;
    }

    /** Every overlay some known node serves, sorted. */
    List<String> overlays() {
        Set<String> s = new TreeSet<>();
        nodes.values().forEach(e -> s.addAll(e.links.keySet()));
        return new ArrayList<>(s);
    }

    int nodeCount() {
        return nodes.size();
    }

    /** The report a node sent last, with when it came and whether it is still online; null if unknown. */
    NodeDetail detail(String id) {
        Entry e = nodes.get(id);
        return e == null ? null : new NodeDetail(id, e.online ? "online" : "offline", e.receivedAt, e.report);
    }

    /** The overlay as it stands: its nodes in ring order, and its merged links. */
    OverlayView view(String overlay, long now) {
        Map<String, OverlayView.Node> byId = new TreeMap<>();
        for (Map.Entry<String, Entry> me : nodes.entrySet()) {
            Entry e = me.getValue();
            for (NodeStatus.Overlay o : e.report.status().overlays()) {
                if (o.id().equals(overlay)) {
                    int up = (int) o.links().stream().filter(l -> "up".equals(l.state())).count();
                    NodeStatus s = e.report.status();
                    byId.put(me.getKey(), new OverlayView.Node(me.getKey(), e.online ? "online" : "offline",
                            s.xmpp().jid(), s.version(), e.receivedAt, s.uptimeSeconds(), s.xmpp().connected(),
                            o.members(), o.ringGap(), o.leafMacs(), up, new LinkedHashMap<>(o.switchCounters())));
                }
            }
        }
        List<OverlayView.Link> links = new ArrayList<>(merged.getOrDefault(overlay, Map.of()).values());
        links.sort((p, q) -> p.a().equals(q.a()) ? p.b().compareTo(q.b()) : p.a().compareTo(q.a()));
        for (OverlayView.Link l : links) {
            for (String end : new String[] {l.a(), l.b()}) {
                byId.computeIfAbsent(end, k -> new OverlayView.Node(k, "unreported", null, null, 0, 0, false, 0, false,
                        0, 0, Map.of()));
            }
        }
        return new OverlayView(overlay, now, new ArrayList<>(byId.values()), links);
    }

    /** A node's last report and its standing, for {@code GET /api/v1/nodes/<id>}. */
    record NodeDetail(String id, String state, long lastSeenMillis, NodeReport report) {
    }
}
