package org.symphonet.simulator.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.Callable;

import org.symphonet.simulator.net.LatencyModel;
import org.symphonet.simulator.report.HopsPlot;
import org.symphonet.simulator.report.ResultsTable;
import org.symphonet.simulator.report.RunResult;
import org.symphonet.simulator.scenario.Experiment;
import org.symphonet.simulator.scenario.RunConfig;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code symphonet sim}: one run, or with {@code --sweep} the table and plot over n and k. */
@Command(name = "symphonet-sim", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Discrete-event simulation of a Symphonet overlay (Symphony ring, bounded flood) "
                + "running the node's real topology and flood classes. Deterministic for a seed.")
public final class SimMain implements Callable<Integer> {

    @Option(names = "--n", defaultValue = "1000", description = "Nodes (2..100000+). Default: ${DEFAULT-VALUE}")
    int n;

    @Option(names = "--s", defaultValue = "2", description = "Successor links. Default: ${DEFAULT-VALUE}")
    int s;

    @Option(names = "--k", defaultValue = "auto", description = "Shortcuts: a number, or auto for floor(log2 n). Default: ${DEFAULT-VALUE}")
    String k;

    @Option(names = "--max-links", defaultValue = "0", description = "max-links; 0: max(32, 3(s+k)+on-demand), which rarely binds. Default: ${DEFAULT-VALUE}")
    int maxLinks;

    @Option(names = "--max-on-demand", defaultValue = "4", description = "On-demand link cap. Default: ${DEFAULT-VALUE}")
    int maxOnDemand;

    @Option(names = "--hot-pairs", defaultValue = "0", description = "Node pairs with heavy traffic after the join (on-demand links). Default: ${DEFAULT-VALUE}")
    int hotPairs;

    @Option(names = "--churn", defaultValue = "0", description = "Fraction of n that crash, and as many that join, in the churn window. Default: ${DEFAULT-VALUE}")
    double churn;

    @Option(names = "--churn-window", defaultValue = "30", description = "Churn window, simulated seconds. Default: ${DEFAULT-VALUE}")
    double churnWindow;

    @Option(names = "--churn-broadcasts", defaultValue = "5", description = "Broadcasts during churn. Default: ${DEFAULT-VALUE}")
    int churnBroadcasts;

    @Option(names = "--failures", defaultValue = "-1", description = "Nodes crashed at once after the join; -1: s-1. Default: ${DEFAULT-VALUE}")
    int failures;

    @Option(names = "--random-failures", description = "Crash random nodes instead of ring neighbours")
    boolean randomFailures;

    @Option(names = "--latency", defaultValue = "uniform:5:50", description = "One-way underlay latency: const:MS, uniform:MIN:MAX, exp:MIN:MEAN. Default: ${DEFAULT-VALUE}")
    String latency;

    @Option(names = "--loss", defaultValue = "0", description = "FRB loss probability per tunnel hop. Default: ${DEFAULT-VALUE}")
    double loss;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed. Default: ${DEFAULT-VALUE}")
    long seed;

    @Option(names = "--broadcasts", defaultValue = "8", description = "Quiet broadcasts after the join. Default: ${DEFAULT-VALUE}")
    int broadcasts;

    @Option(names = "--unicast-samples", defaultValue = "2000", description = "Unicast sources per broadcast root. Default: ${DEFAULT-VALUE}")
    int unicastSamples;

    @Option(names = "--limit", defaultValue = "600", description = "Simulated seconds a phase may take to settle. Default: ${DEFAULT-VALUE}")
    double limit;

    @Option(names = "--sweep", description = "Run every n of --ns with every k of --ks; write --results and --plot")
    boolean sweep;

    @Option(names = "--ns", defaultValue = "100,1000,10000,100000", split = ",", description = "Sweep: values of n. Default: ${DEFAULT-VALUE}")
    List<Integer> ns;

    @Option(names = "--ks", defaultValue = "1,4,auto", split = ",", description = "Sweep: values of k. Default: ${DEFAULT-VALUE}")
    List<String> ks;

    @Option(names = "--results", defaultValue = "simulator/RESULTS.md", description = "Sweep: markdown output. Default: ${DEFAULT-VALUE}")
    Path results;

    @Option(names = "--plot", defaultValue = "simulator/hops-vs-n.png", description = "Sweep: PNG output. Default: ${DEFAULT-VALUE}")
    Path plot;

    public static void main(String[] args) {
        System.exit(new CommandLine(new SimMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        if (!sweep) {
            RunResult r = new Experiment(config(n, parseK(k)), System.err::println).run();
            out.print(ResultsTable.summary(r));
            out.println();
            out.print(ResultsTable.header());
            out.print(ResultsTable.row(r));
            return r.frbsExact() && r.deliveriesExact() ? 0 : 1;
        }
        List<RunResult> all = new ArrayList<>();
        out.print(ResultsTable.header());
        for (int size : ns) {
            Set<String> seen = new LinkedHashSet<>();
            for (String kText : ks) {
                OptionalInt kk = parseK(kText);
                int kValue = kk.orElse(31 - Integer.numberOfLeadingZeros(size));
                if (!seen.add(Integer.toString(kValue))) {
                    continue; // floor(log2 n) equal to a fixed k already run
                }
                RunResult r = new Experiment(config(size, kk), System.err::println).run();
                all.add(r);
                out.print(ResultsTable.row(r));
            }
        }
        HopsPlot.write(all, plot);
        Files.writeString(results, ResultsMarkdown.render(all, plot, this.describe()), StandardCharsets.UTF_8);
        out.println("wrote " + results + " and " + plot);
        return 0;
    }

    private RunConfig config(int size, OptionalInt kk) {
        int f = failures < 0 ? Math.max(0, Math.min(s - 1, size - 2)) : Math.min(failures, size - 2);
        return new RunConfig(size, s, kk, maxLinks, maxOnDemand, hotPairs, LatencyModel.parse(latency), loss, seed,
                broadcasts, unicastSamples, Math.max(0, f), !randomFailures, churn, churnWindow, churnBroadcasts, limit);
    }

    private static OptionalInt parseK(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("auto") || t.equals("log2") || t.equals("log2n")) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(Integer.parseInt(t));
    }

    /** The command line that reproduces the sweep, for the results file. */
    String describe() {
        return String.format(Locale.ROOT,
                "--sweep --ns %s --ks %s --s %d --latency %s --loss %s --churn %s --churn-window %s --seed %d "
                        + "--broadcasts %d --failures %d%s",
                join(ns), String.join(",", ks), s, latency, loss, churn, churnWindow, seed, broadcasts, failures,
                randomFailures ? " --random-failures" : "");
    }

    private static String join(List<Integer> xs) {
        StringBuilder sb = new StringBuilder();
        for (Integer x : xs) {
            sb.append(sb.length() == 0 ? "" : ",").append(x);
        }
        return sb.toString();
    }
}
