package org.symphonet.overlay.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.symphonet.ofcontroller.view.NodeId;

class LinkPlannerTest {

    private static final NodeId A = Ids.at(0.1);
    private static final NodeId B = Ids.at(0.2);
    private static final NodeId C = Ids.at(0.3);
    private static final NodeId D = Ids.at(0.4);
    private static final NodeId E = Ids.at(0.5);

    private final LinkPlanner planner = new LinkPlanner(new PlannerSettings(1, 1, Duration.ofSeconds(30)));

    private static Map<NodeId, LinkState> links(LinkState... ls) {
        Map<NodeId, LinkState> m = new HashMap<>();
        for (LinkState l : ls) {
            m.put(l.peer(), l);
        }
        return m;
    }

    private static LinkState up(NodeId p, LinkRole r) {
        return new LinkState(p, r, true, true);
    }

    @Test
    void successorsAreAddedAtOnceOthersPaced() {
        DesiredLinks d = new DesiredLinks(List.of(A, B), List.of(C, D), List.of(E));
        LinkPlanner.Plan p = planner.plan(Map.of(), d, Map.of(), 32, 0);
        assertEquals(List.of(new LinkStep.Add(A, LinkRole.SUCCESSOR), new LinkStep.Add(B, LinkRole.SUCCESSOR),
                new LinkStep.Add(C, LinkRole.SHORTCUT)), p.steps());
    }

    @Test
    void anyExistingLinkSatisfiesAWish() {
        DesiredLinks d = new DesiredLinks(List.of(A), List.of(B), List.of());
        Map<NodeId, LinkState> cur = links(new LinkState(A, LinkRole.SHORTCUT, false, true),
                new LinkState(B, LinkRole.SHORTCUT, true, false));
        assertEquals(List.of(), planner.plan(cur, d, Map.of(), 32, 0).steps(),
                "inbound link to A is enough, and an inbound link is never retagged by us");
    }

    @Test
    void outboundLinkChangingRoleIsRetagged() {
        DesiredLinks d = new DesiredLinks(List.of(A), List.of(), List.of());
        Map<NodeId, LinkState> cur = links(up(A, LinkRole.SHORTCUT));
        assertEquals(List.of(new LinkStep.Retag(A, LinkRole.SUCCESSOR)), planner.plan(cur, d, Map.of(), 32, 0).steps());
    }

    @Test
    void unwantedLinkIsRemovedOnlyAfterGrace() {
        DesiredLinks d = new DesiredLinks(List.of(A), List.of(), List.of());
        Map<NodeId, LinkState> cur = links(up(A, LinkRole.SUCCESSOR), up(B, LinkRole.SHORTCUT));
        LinkPlanner.Plan p1 = planner.plan(cur, d, Map.of(), 32, 1000);
        assertEquals(List.of(), p1.steps());
        assertEquals(Map.of(B, 1000L), p1.unwantedSince());
        LinkPlanner.Plan p2 = planner.plan(cur, d, p1.unwantedSince(), 32, 30_999);
        assertEquals(List.of(), p2.steps());
        LinkPlanner.Plan p3 = planner.plan(cur, d, p2.unwantedSince(), 32, 31_000);
        assertEquals(1, p3.steps().size());
        assertTrue(p3.steps().get(0) instanceof LinkStep.Remove r && r.peer().equals(B));
        assertEquals(Map.of(), p3.unwantedSince());
    }

    @Test
    void anIdleOnDemandLinkGoesAtOnceItsIdlePeriodWasItsGrace() {
        DesiredLinks d = new DesiredLinks(List.of(A), List.of(), List.of());
        Map<NodeId, LinkState> cur = links(up(A, LinkRole.SUCCESSOR), up(B, LinkRole.ON_DEMAND));
        LinkPlanner.Plan p = planner.plan(cur, d, Map.of(), 32, 1000);
        assertEquals(List.of(B), p.steps().stream().filter(s -> s instanceof LinkStep.Remove).map(LinkStep::peer).toList());
    }

    @Test
    void aWantedOnDemandLinkStays() {
        DesiredLinks d = new DesiredLinks(List.of(A), List.of(), List.of(B));
        Map<NodeId, LinkState> cur = links(up(A, LinkRole.SUCCESSOR), up(B, LinkRole.ON_DEMAND));
        assertEquals(List.of(), planner.plan(cur, d, Map.of(), 32, 1000).steps());
    }

    @Test
    void wantedAgainWithinGraceForgetsTheTimer() {
        Map<NodeId, LinkState> cur = links(up(A, LinkRole.SUCCESSOR), up(B, LinkRole.SHORTCUT));
        LinkPlanner.Plan p1 = planner.plan(cur, new DesiredLinks(List.of(A), List.of(), List.of()), Map.of(), 32, 0);
        LinkPlanner.Plan p2 = planner.plan(cur, new DesiredLinks(List.of(A), List.of(B), List.of()),
                p1.unwantedSince(), 32, 20_000);
        assertEquals(Map.of(), p2.unwantedSince());
        LinkPlanner.Plan p3 = planner.plan(cur, new DesiredLinks(List.of(A), List.of(), List.of()),
                p2.unwantedSince(), 32, 40_000);
        assertEquals(List.of(), p3.steps(), "grace restarts");
    }

    @Test
    void inboundLinksAreNeverRemovedByTheResponder() {
        Map<NodeId, LinkState> cur = links(new LinkState(B, LinkRole.SHORTCUT, false, true));
        LinkPlanner.Plan p = planner.plan(cur, DesiredLinks.NONE, Map.of(), 32, 0);
        LinkPlanner.Plan later = planner.plan(cur, DesiredLinks.NONE, p.unwantedSince(), 32, 1_000_000);
        assertEquals(List.of(), later.steps());
    }

    @Test
    void anOutboundLinkThePeerStillWantsIsKeptPastTheGraceAndGoesOnceItDoesNot() {
        Map<NodeId, LinkState> cur = links(up(A, LinkRole.SUCCESSOR), new LinkState(B, LinkRole.SHORTCUT, true, true, true));
        DesiredLinks d = new DesiredLinks(List.of(A), List.of(), List.of());
        LinkPlanner.Plan p = planner.plan(cur, d, Map.of(), 32, 120_000);
        assertEquals(List.of(), p.steps(), "the responder wants it: a link stays while either end wants it");
        assertEquals(Map.of(), p.unwantedSince(), "no grace runs while the peer wants it");
        cur.put(B, up(B, LinkRole.SHORTCUT)); // the peer said it no longer wants it
        LinkPlanner.Plan p2 = planner.plan(cur, d, p.unwantedSince(), 32, 130_000);
        assertEquals(List.of(), p2.steps(), "the grace starts when neither end wants it");
        LinkPlanner.Plan p3 = planner.plan(cur, d, p2.unwantedSince(), 32, 160_000);
        assertEquals(List.of(new LinkStep.Remove(B, "unwanted for 30000 ms")), p3.steps());
    }

    @Test
    void makeBeforeBreak() {
        Map<NodeId, LinkState> cur = links(up(A, LinkRole.SHORTCUT));
        DesiredLinks d = new DesiredLinks(List.of(), List.of(B), List.of());
        LinkPlanner.Plan p1 = planner.plan(cur, d, Map.of(A, 0L), 32, 60_000);
        assertEquals(List.of(new LinkStep.Add(B, LinkRole.SHORTCUT)), p1.steps(), "no remove while adding");
        cur.put(B, new LinkState(B, LinkRole.SHORTCUT, true, false));
        assertEquals(List.of(), planner.plan(cur, d, p1.unwantedSince(), 32, 61_000).steps(), "B still negotiating");
        cur.put(B, up(B, LinkRole.SHORTCUT));
        assertEquals(List.of(new LinkStep.Remove(A, "unwanted for 62000 ms")),
                planner.plan(cur, d, p1.unwantedSince(), 32, 62_000).steps());
    }

    @Test
    void maxLinksHoldsBackAllButSuccessors() {
        Map<NodeId, LinkState> cur = links(new LinkState(C, LinkRole.SHORTCUT, false, true),
                new LinkState(D, LinkRole.SHORTCUT, false, true));
        DesiredLinks d = new DesiredLinks(List.of(A), List.of(B), List.of());
        assertEquals(List.of(new LinkStep.Add(A, LinkRole.SUCCESSOR)), planner.plan(cur, d, Map.of(), 2, 0).steps());
    }

    @Test
    void removalsArePacedOldestFirst() {
        Map<NodeId, LinkState> cur = links(up(A, LinkRole.SHORTCUT), up(B, LinkRole.SHORTCUT), up(C, LinkRole.SHORTCUT));
        Map<NodeId, Long> since = Map.of(A, 5_000L, B, 1_000L, C, 3_000L);
        LinkPlanner.Plan p = planner.plan(cur, DesiredLinks.NONE, since, 32, 100_000);
        assertEquals(1, p.steps().size());
        assertEquals(B, p.steps().get(0).peer());
        assertEquals(Map.of(A, 5_000L, C, 3_000L), p.unwantedSince());
    }
}
