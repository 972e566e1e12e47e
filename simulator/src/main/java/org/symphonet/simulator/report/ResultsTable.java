package org.symphonet.simulator.report;

import java.util.List;
import java.util.Locale;

/** Run results as the markdown table of RESULTS.md, one row per run. */
public final class ResultsTable {

    private ResultsTable() {
    }

    public static String header() {
        return """
                | n | k | links/node avg (max) | unicast hops avg / p99 | FRB depth avg / p99 | FRBs per broadcast | one delivery per node | join: ring / settled (s) | heal after f=s-1: ring / settled (s) | partitions | churn: dup / missed of expected | live heap / peak (MB) | wall / cpu (s) |
                |---:|---:|---:|---:|---:|---:|:---:|---:|---:|:---:|---:|---:|---:|
                """;
    }

    public static String row(RunResult r) {
        String frbs = fmt1(r.frbsPerBroadcast()) + (r.frbsExact() ? " (= n-1)" : " (**not n-1**)");
        String once = r.deliveriesExact() ? "yes" : "**no**";
        String heal = r.failures() == 0 ? "-" : fmt1(r.healRingSec()) + " / " + fmt1(r.healSec()) + (r.postHealExact() ? "" : " (**post-heal broadcast not exact**)");
        String parts = r.failures() == 0 && r.churnBroadcasts() == 0 ? "-"
                : (r.maxComponentsFailure() <= 1 ? "none" : "**" + r.maxComponentsFailure() + " pieces**")
                + (r.churnBroadcasts() > 0 ? " / churn: " + (r.maxComponentsChurn() <= 1 ? "none" : r.maxComponentsChurn() + " pieces") : "");
        String churn = r.churnBroadcasts() == 0 ? "-"
                : r.churnDuplicates() + " / " + r.churnMisses() + " of " + r.churnExpected();
        return String.format(Locale.ROOT,
                "| %,d | %s | %s (%d) | %s / %s | %s / %s | %s | %s | %s / %s | %s | %s | %s | %s / %s | %s / %s |%n",
                r.n(), r.kLabel().equals("log2 n") ? "log2 n = " + r.k() : r.kLabel(), fmt1(r.linksAvg()), r.linksMax(),
                fmt2(r.unicast().mean()), fmt0(r.unicast().percentile(99)), fmt2(r.depth().mean()),
                fmt0(r.depth().percentile(99)), frbs, once, fmt1(r.joinRingSec()), fmt1(r.joinSettledSec()), heal, parts,
                churn, fmt0(r.heapLiveMb()), fmt0(r.heapPeakMb()), fmt1(r.wallSec()), fmt1(r.cpuSec()));
    }

    public static String table(List<RunResult> results) {
        StringBuilder sb = new StringBuilder(header());
        results.forEach(r -> sb.append(row(r)));
        return sb.toString();
    }

    /** A multi-line human summary of one run, for the single-run CLI. */
    public static String summary(RunResult r) {
        return String.format(Locale.ROOT, """
                n=%,d s=%d k=%s (%d) max-links=%d seed=%d
                join: ring complete after %s s, settled after %s s; links per node avg %s, max %d
                quiet broadcasts: %d, FRBs per broadcast %s (n-1 = %d: %s), one delivery per node: %s
                FRB delivery depth avg %s, p99 %s, max %d; unicast along learned MACs avg %s, p99 %s (%d walks, %d failed)
                failures: f=%d, ring healed after %s s, settled after %s s, most pieces seen %d, broadcast after heal exact: %s
                churn: %d broadcasts, %d duplicate FRBs dropped, %d of %d expected deliveries missed, most pieces seen %d
                on-demand links up: %d; link-requests answered busy %d, duplicate %d
                events %,d, wall %s s, cpu %s s, live heap %s MB, peak heap %s MB
                """, r.n(), r.s(), r.kLabel(), r.k(), r.maxLinks(), r.seed(), fmt1(r.joinRingSec()),
                fmt1(r.joinSettledSec()), fmt1(r.linksAvg()), r.linksMax(), r.quietBroadcasts(),
                fmt1(r.frbsPerBroadcast()), r.n() - 1, r.frbsExact() ? "exact" : "NOT exact",
                r.deliveriesExact() ? "yes" : "NO", fmt2(r.depth().mean()), fmt0(r.depth().percentile(99)),
                r.depth().max(), fmt2(r.unicast().mean()), fmt0(r.unicast().percentile(99)), r.unicast().size(),
                r.unicastFailures(), r.failures(), fmt1(r.healRingSec()), fmt1(r.healSec()), r.maxComponentsFailure(), r.postHealExact(),
                r.churnBroadcasts(), r.churnDuplicates(), r.churnMisses(), r.churnExpected(), r.maxComponentsChurn(),
                r.onDemandUp(), r.busyRejects(), r.duplicateRejects(), r.eventsFired(), fmt1(r.wallSec()), fmt1(r.cpuSec()),
                fmt0(r.heapLiveMb()), fmt0(r.heapPeakMb()));
    }

    private static String fmt0(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.0f", v);
    }

    private static String fmt1(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String fmt2(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.2f", v);
    }
}
