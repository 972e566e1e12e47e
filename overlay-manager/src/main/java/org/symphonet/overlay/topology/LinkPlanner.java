package org.symphonet.overlay.topology;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.symphonet.ofcontroller.view.NodeId;

/**
 * Turns (current links, desired links) into a few steps per round. Pure: the memory of when each
 * link became unwanted is passed in and handed back, never kept here.
 *
 * <p>Rules, each against a failure seen in churning overlays:
 * <ul>
 *   <li>Any existing link, inbound or outbound, satisfies a wish for that peer: no second tunnel.</li>
 *   <li>Successor links are added at once and without limit: the bound rule needs them.</li>
 *   <li>Other adds are paced ({@code maxAddsPerRound}) and kept under {@code max-links}.</li>
 *   <li>Only outbound links are removed, only when the responder does not want them either (a link
 *       stays while either end wants it: closing it here would only make the peer request it again),
 *       only after being unwanted for {@code removeGrace} (on-demand
 *       links at once: they were idle for the on-demand idle period before they became unwanted),
 *       and only when no wanted link is still negotiating (make before break).</li>
 * </ul>
 */
public final class LinkPlanner {

    /** Result of one round. */
    public record Plan(List<LinkStep> steps, Map<NodeId, Long> unwantedSince) {
        public Plan {
            steps = List.copyOf(steps);
            unwantedSince = Map.copyOf(unwantedSince);
        }
    }

    private final PlannerSettings settings;

    public LinkPlanner(PlannerSettings settings) {
        this.settings = settings;
    }

    /**
     * @param current       the link manager's links of this overlay, by peer
     * @param desired       what the selector wants now
     * @param unwantedSince the previous round's memory (empty at start)
     * @param maxLinks      cap on all links
     * @param nowMillis     monotonic time of this round
     */
    public Plan plan(Map<NodeId, LinkState> current, DesiredLinks desired, Map<NodeId, Long> unwantedSince,
                     int maxLinks, long nowMillis) {
        List<LinkStep> steps = new ArrayList<>();
        Map<NodeId, LinkRole> wanted = desired.roles();
        int total = current.size();
        int paced = 0;
        boolean adding = false;
        for (Map.Entry<NodeId, LinkRole> w : wanted.entrySet()) {
            LinkState have = current.get(w.getKey());
            if (have != null) {
                if (have.role() != w.getValue() && have.outbound()) {
                    steps.add(new LinkStep.Retag(w.getKey(), w.getValue()));
                }
                adding |= !have.up() && have.outbound();
                continue;
            }
            if (w.getValue() != LinkRole.SUCCESSOR) {
                if (paced >= settings.maxAddsPerRound() || total >= maxLinks) {
                    adding = true;
                    continue;
                }
                paced++;
            }
            steps.add(new LinkStep.Add(w.getKey(), w.getValue()));
            total++;
            adding = true;
        }

        Map<NodeId, Long> memory = new HashMap<>();
        List<NodeId> due = new ArrayList<>();
        for (LinkState l : current.values()) {
            if (!l.outbound() || l.peerWants() || wanted.containsKey(l.peer())) {
                continue;
            }
            long since = unwantedSince.getOrDefault(l.peer(), nowMillis);
            memory.put(l.peer(), since);
            // An on-demand link's idle period (the traffic tracker's) already was its grace.
            long grace = l.role() == LinkRole.ON_DEMAND ? 0 : settings.removeGrace().toMillis();
            if (nowMillis - since >= grace) {
                due.add(l.peer());
            }
        }
        if (!adding) {
            // Oldest unwanted first; ties by ID so the order does not depend on map iteration.
            due.sort((a, b) -> {
                int c = Long.compare(memory.get(a), memory.get(b));
                return c != 0 ? c : a.compareTo(b);
            });
            for (NodeId p : due.subList(0, Math.min(due.size(), settings.maxRemovesPerRound()))) {
                steps.add(new LinkStep.Remove(p, "unwanted for " + (nowMillis - memory.get(p)) + " ms"));
                memory.remove(p);
            }
        }
        return new Plan(steps, memory);
    }
}
