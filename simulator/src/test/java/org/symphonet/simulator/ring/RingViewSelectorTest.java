package org.symphonet.simulator.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.symphonet.ofcontroller.view.NodeId;
import org.symphonet.overlay.topology.LinkSelector;
import org.symphonet.overlay.topology.Ring;
import org.symphonet.overlay.topology.SymphonyParams;

/**
 * The simulator's {@link RingView} is the same membership as the collection the node builds
 * ({@code OverlayTopology.round}: presence minus backoff plus live tunnels, self left out), so the
 * node's {@link LinkSelector} gives the same links on either, draw for draw. Checked for every
 * node of random rings after members left, with IDs at both ends of the ID space so that the
 * walks wrap, and with nodes whose own presence is already gone.
 */
class RingViewSelectorTest {

    @ParameterizedTest
    @CsvSource({
        "2, 1, -1, 32, 4",
        "3, 2, -1, 32, 4",
        "50, 2, -1, 32, 4",
        "300, 2, -1, 32, 4",
        "300, 1, 4, 32, 4",
        "300, 3, 1, 32, 2",
        "300, 2, 6, 9, 4",
        "1000, 2, -1, 40, 4",
    })
    void nodesSelectorGivesTheSameLinksOnTheViewAsOnTheCollection(int n, int s, int k, int maxLinks, int maxOnDemand) {
        SymphonyParams params = new SymphonyParams(s, k < 0 ? OptionalInt.empty() : OptionalInt.of(k), 64, maxLinks,
                maxOnDemand);
        LinkSelector selector = new LinkSelector(params);
        Random rnd = new Random(n * 31L + s);
        List<NodeId> ids = new ArrayList<>();
        // The ends of the ID space: a harmonic target past the last ID must wrap to the first.
        ids.add(new NodeId(-1L, -1L));
        ids.add(new NodeId(-1L, rnd.nextLong()));
        ids.add(new NodeId(0L, 0L));
        ids.add(new NodeId(0L, rnd.nextLong()));
        while (ids.size() < n + n / 5 + 4) {
            NodeId id = new NodeId(rnd.nextLong(), rnd.nextLong());
            if (!ids.contains(id)) {
                ids.add(id);
            }
        }
        MembershipLog log = new MembershipLog();
        for (int i = 0; i < ids.size(); i++) {
            log.add(ids.get(i), i);
        }
        log.publish(0);
        // A fifth leaves, among them the IDs at the very top: the gap then spans the wrap.
        Set<NodeId> gone = new HashSet<>();
        for (int i = 0; i < ids.size(); i++) {
            if (i == 0 || rnd.nextInt(5) == 0) {
                log.remove(ids.get(i), i);
                gone.add(ids.get(i));
            }
        }
        Membership presence = log.publish(1);
        assertEquals(ids.size() - gone.size(), presence.size());

        for (NodeId self : ids) {
            List<NodeId> up = new ArrayList<>();
            Set<NodeId> backoff = new HashSet<>();
            List<NodeId> keep = new ArrayList<>();
            List<NodeId> wanted = new ArrayList<>();
            for (int j = 0; j < 3; j++) {
                up.add(ids.get(rnd.nextInt(ids.size()))); // sometimes a peer whose presence is gone
                backoff.add(ids.get(rnd.nextInt(ids.size())));
                keep.add(ids.get(rnd.nextInt(ids.size())));
                wanted.add(ids.get(rnd.nextInt(ids.size())));
            }
            if (rnd.nextBoolean()) {
                backoff.add(up.get(0)); // backing off from a peer whose tunnel is up: it stays
                keep.add(new NodeId(rnd.nextLong(), rnd.nextLong())); // an old shortcut that never was a member
            }
            RingView view = new RingView(self, presence, up, backoff);

            // What the node hands its selector, built the node's way from plain sets.
            Set<NodeId> online = new HashSet<>();
            for (int i = 0; i < presence.size(); i++) {
                online.add(presence.get(i));
            }
            online.removeAll(backoff);
            online.addAll(up);
            online.remove(self);

            String where = "node " + self + " of " + n;
            assertEquals(online.size(), view.size(), where);
            assertEquals(Ring.clockwise(self, online), view.successors(view.size()), where);
            for (NodeId id : ids) {
                assertEquals(online.contains(id), view.contains(id), where + ", member " + id);
            }
            long seed = rnd.nextLong();
            assertEquals(selector.select(self, online, keep, wanted, new Random(seed)),
                    selector.select(view, keep, wanted, new Random(seed)), where);
        }
        assertTrue(gone.contains(new NodeId(-1L, -1L)));
    }
}
