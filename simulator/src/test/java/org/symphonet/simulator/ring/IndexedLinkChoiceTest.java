package org.symphonet.simulator.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.symphonet.ofcontroller.view.NodeId;
import org.symphonet.overlay.topology.DesiredLinks;
import org.symphonet.overlay.topology.SymphonyParams;

/**
 * The indexed twin gives exactly the node's LinkSelector answer, for every node of random rings,
 * with backed-off peers, live tunnels outside presence, kept shortcuts and on-demand wishes.
 */
class IndexedLinkChoiceTest {

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
    void sameAnswerAsTheNodesSelector(int n, int s, int k, int maxLinks, int maxOnDemand) {
        SymphonyParams params = new SymphonyParams(s, k < 0 ? OptionalInt.empty() : OptionalInt.of(k), 64, maxLinks,
                maxOnDemand);
        LinkChoice real = new RealLinkChoice(params);
        LinkChoice indexed = new IndexedLinkChoice(params);
        Random rnd = new Random(n * 31L + s);
        NodeId[] ids = new NodeId[n];
        for (int i = 0; i < n; i++) {
            ids[i] = new NodeId(rnd.nextLong(), rnd.nextLong());
        }
        Arrays.sort(ids);
        Membership base = new Membership(0, 0, ids, null);
        for (int i = 0; i < n; i++) {
            NodeId self = ids[i];
            List<NodeId> up = new ArrayList<>();
            Set<NodeId> backoff = new HashSet<>();
            List<NodeId> keep = new ArrayList<>();
            List<NodeId> wanted = new ArrayList<>();
            for (int j = 0; j < 3; j++) {
                up.add(ids[rnd.nextInt(n)]);
                backoff.add(ids[rnd.nextInt(n)]);
                keep.add(ids[rnd.nextInt(n)]);
                wanted.add(ids[rnd.nextInt(n)]);
            }
            if (rnd.nextBoolean()) {
                up.add(new NodeId(rnd.nextLong(), rnd.nextLong())); // tunnel up, presence gone
                keep.add(new NodeId(rnd.nextLong(), rnd.nextLong())); // an old shortcut no longer online
            }
            RingView view = new RingView(self, base, up, backoff);
            long seed = rnd.nextLong();
            DesiredLinks expected = real.select(view, keep, wanted, seed);
            assertEquals(expected, indexed.select(view, keep, wanted, seed), "node " + i + " of " + n);
            assertEquals(view.all().size(), view.size());
        }
    }
}
