package org.symphonet.simulator.ring;

import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.Collections;
import java.util.NavigableSet;
import java.util.TreeSet;

import org.symphonet.ofcontroller.view.NodeId;

/**
 * The XMPP server's presence, as the nodes see it: changes are gathered and published as
 * snapshots; a node sees a snapshot once the presence delay has passed. Every node asks with
 * {@code now - delay}, which never goes back, so snapshots older than the one visible now are
 * dropped.
 */
public final class MembershipLog {

    private final TreeSet<NodeId> live = new TreeSet<>();
    private final BitSet liveIndices = new BitSet();
    private final ArrayDeque<Membership> history = new ArrayDeque<>();
    private boolean dirty = true;
    private long nextVersion;

    /** @param index the node's simulation index, kept beside the ID for fast membership tests */
    public void add(NodeId id, int index) {
        dirty |= live.add(id);
        liveIndices.set(index);
    }

    public void remove(NodeId id, int index) {
        dirty |= live.remove(id);
        liveIndices.clear(index);
    }

    /** The true online set, for the observer's checks (nodes see {@link #visibleAt} instead). */
    public NavigableSet<NodeId> live() {
        return Collections.unmodifiableNavigableSet(live);
    }

    /** Publishes the changes gathered since the last call, if any. */
    public Membership publish(long nowNanos) {
        if (dirty || history.isEmpty()) {
            history.addLast(new Membership(nextVersion++, nowNanos, live.toArray(new NodeId[0]), (BitSet) liveIndices.clone()));
            dirty = false;
        }
        return history.peekLast();
    }

    public boolean hasUnpublished() {
        return dirty;
    }

    public Membership latest() {
        return history.peekLast();
    }

    /** The newest snapshot published at or before {@code t}; the oldest kept one if none is. */
    public Membership visibleAt(long t) {
        while (history.size() > 1) {
            var it = history.iterator();
            it.next();
            Membership second = it.next();
            if (second.publishedAt() <= t) {
                history.removeFirst();
            } else {
                break;
            }
        }
        return history.peekFirst();
    }
}
