package org.symphonet.overlay.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.symphonet.ofcontroller.view.NodeId;

/** The node's sorted {@link RingMembers}: the clockwise order of {@link Ring#clockwise}, walks that wrap. */
class RingMembersTest {

    @Test
    void selfAndDuplicatesAreLeftOut() {
        NodeId self = Ids.at(0.5);
        RingMembers m = RingMembers.of(self, List.of(Ids.at(0.1), self, Ids.at(0.9), Ids.at(0.1)));
        assertEquals(2, m.size());
        assertFalse(m.contains(self));
        assertTrue(m.contains(Ids.at(0.1)));
        assertFalse(m.contains(Ids.at(0.2)));
        assertEquals(List.of(Ids.at(0.9), Ids.at(0.1)), m.successors(5), "clockwise from self, wrapping");
    }

    @Test
    void emptyRingHasNoSuccessorAndNoTarget() {
        RingMembers m = RingMembers.of(Ids.at(0.3), Set.of(Ids.at(0.3)));
        assertEquals(0, m.size());
        assertEquals(List.of(), m.successors(2));
        assertNull(m.firstAtOrAfter(Ids.at(0.7), p -> false));
    }

    @Test
    void successorsAreRingClockwiseOrderOnRandomRings() {
        Random r = new Random(3);
        for (int round = 0; round < 50; round++) {
            List<NodeId> members = new ArrayList<>(Ids.randomSet(r, 1 + r.nextInt(60)));
            NodeId self = r.nextBoolean() ? members.get(0) : Ids.random(r);
            RingMembers m = RingMembers.of(self, members);
            List<NodeId> clockwise = Ring.clockwise(self, members);
            assertEquals(clockwise, m.successors(m.size()));
            assertEquals(clockwise.subList(0, Math.min(2, clockwise.size())), m.successors(2));
        }
    }

    @Test
    void firstAtOrAfterIsTheNearestUnskippedMemberClockwise() {
        Random r = new Random(5);
        for (int round = 0; round < 200; round++) {
            List<NodeId> members = new ArrayList<>(Ids.randomSet(r, 1 + r.nextInt(30)));
            NodeId self = Ids.random(r);
            RingMembers m = RingMembers.of(self, members);
            NodeId point = r.nextInt(4) == 0 ? members.get(r.nextInt(members.size())) : Ids.random(r);
            Set<NodeId> skip = Set.copyOf(members.subList(0, r.nextInt(members.size() + 1)));
            NodeId expected = null;
            for (NodeId p : members) {
                if (!skip.contains(p) && (expected == null
                        || point.distanceTo(p).compareTo(point.distanceTo(expected)) < 0)) {
                    expected = p;
                }
            }
            assertEquals(expected, m.firstAtOrAfter(point, skip::contains), "point " + point);
        }
    }

    @Test
    void walkPastTheTopOfTheIdSpaceWraps() {
        NodeId top = new NodeId(-1L, -1L);
        NodeId bottom = new NodeId(0L, 5L);
        RingMembers m = RingMembers.of(new NodeId(0L, 1L), List.of(top, bottom, Ids.at(0.5)));
        assertEquals(top, m.firstAtOrAfter(top, p -> false));
        assertEquals(bottom, m.firstAtOrAfter(top, top::equals));
        assertEquals(List.of(bottom, Ids.at(0.5), top), m.successors(3));
    }

    @Test
    void topologyRefusesAnotherNodesView() {
        OverlayTopology t = OverlayTopology.start(Ids.at(0.1), new SymphonyParams(2, OptionalInt.empty(), 8, 32, 2),
                PlannerSettings.DEFAULT, 1000, java.time.Duration.ofSeconds(60));
        RingMembers other = RingMembers.of(Ids.at(0.2), List.of(Ids.at(0.3)));
        assertThrows(IllegalArgumentException.class, () -> t.round(other, Map.of(), 0, new Random(1)));
    }
}
