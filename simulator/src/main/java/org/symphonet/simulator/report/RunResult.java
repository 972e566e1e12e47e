package org.symphonet.simulator.report;

/**
 * Everything one simulation run measured. Times are simulated seconds unless named wall.
 *
 * @param kLabel               how k was given: a number or "log2 n"
 * @param k                    the shortcut count in force at n
 * @param joinRingSec          mass join: every node linked to its s successors
 * @param joinSettledSec       mass join: additionally no negotiation in flight, no adds planned, views current
 * @param linksAvg             up links per node after the join (both directions)
 * @param frbsPerBroadcast     FRBs put on the wire, averaged over the quiet broadcasts
 * @param frbsExact            every quiet broadcast sent exactly n-1 FRBs
 * @param deliveriesExact      every quiet broadcast reached every other node exactly once
 * @param depth                FRB delivery depth (bridges crossed), quiet broadcasts
 * @param unicast              hops of unicast along learned MACs back to each broadcast's root
 * @param unicastFailures      walks that hit an unknown MAC, a dead end or a loop
 * @param failures             f nodes crashed at once
 * @param healRingSec          from the crash until every live node linked its s live successors again
 * @param healSec              from the crash until the ring was complete and settled again
 * @param maxComponentsFailure most connected components seen among live nodes after the crash
 * @param postHealExact        a broadcast after the heal: n-f-1 FRBs, one delivery per live node
 * @param churnBroadcasts      broadcasts sent during churn
 * @param churnDuplicates      duplicate FRBs the engines dropped during churn
 * @param churnMisses          live, linked nodes a churn broadcast did not reach
 * @param churnExpected        sum over churn broadcasts of the nodes each should have reached
 * @param maxComponentsChurn   most connected components seen during churn
 * @param onDemandUp           on-demand links up after the hot pairs' traffic reports
 * @param busyRejects          link-requests answered busy (max-links)
 * @param duplicateRejects     link-requests answered duplicate (collision rule)
 * @param wallSec              wall time of the whole run
 * @param cpuSec               CPU time of the simulation thread: wall time without the host's other load
 * @param heapLiveMb           heap in use after a full GC at the end of the join
 * @param heapPeakMb           peak heap in use over the run
 */
public record RunResult(int n, int s, String kLabel, int k, int maxLinks, long seed,
                        double joinRingSec, double joinSettledSec, double linksAvg, int linksMax,
                        double frbsPerBroadcast, boolean frbsExact, boolean deliveriesExact,
                        int quietBroadcasts, Samples depth, Samples unicast, long unicastFailures,
                        int failures, double healRingSec, double healSec, int maxComponentsFailure, boolean postHealExact,
                        int churnBroadcasts, long churnDuplicates, long churnMisses, long churnExpected,
                        int maxComponentsChurn, int onDemandUp, long busyRejects, long duplicateRejects, long eventsFired,
                        double wallSec, double cpuSec, double heapLiveMb, double heapPeakMb) {
}
