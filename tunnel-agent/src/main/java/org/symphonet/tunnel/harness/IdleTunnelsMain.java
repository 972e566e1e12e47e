package org.symphonet.tunnel.harness;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.symphonet.tunnel.AgentConfig;
import org.symphonet.tunnel.Tunnel;
import org.symphonet.tunnel.TunnelEvent;
import org.symphonet.tunnel.TunnelRequest;
import org.symphonet.tunnel.dtls.NodeCertificate;
import org.symphonet.tunnel.ice.DirectUdpPaths;
import org.symphonet.tunnel.session.DefaultTunnelAgent;
import org.symphonet.tunnel.session.TapOnly;

/**
 * Memory per idle tunnel, measured rather than estimated: two agents in this JVM
 * open N tunnels to each other (one per overlay, loopback UDP, real TAPs that join
 * no bridge), then N more, and the process's RSS, heap and thread count are
 * compared at each step. Each tunnel has two ends here; a node holds one end per tunnel, so the
 * figures are given per end. Needs root (TAP devices); run it in a namespace of
 * its own ({@code bench.sh tunnel} does).
 *
 * <p>Usage: {@code java -cp tunnel-agent.jar org.symphonet.tunnel.harness.IdleTunnelsMain N}; with
 * {@code IDLE_TUNNELS_CPU_SECONDS=S} it also reports the process's CPU over S idle seconds.
 */
public final class IdleTunnelsMain {
    private static final String LOW = "0123456789abcdef0123456789abcdef";
    private static final String HIGH = "fedcba9876543210fedcba9876543210";

    private IdleTunnelsMain() {
    }

    public static void main(String[] args) throws Exception {
        int n;
        try {
            n = Integer.parseInt(args.length == 1 ? args[0] : "");
        } catch (NumberFormatException e) {
            System.err.println("usage: IdleTunnelsMain N   (opens N tunnels, then N more; 1..250)");
            System.exit(2);
            return;
        }
        if (n < 1 || n > 250) {
            System.err.println("N must be 1..250, got " + n);
            System.exit(2);
        }
        Path dir = Files.createTempDirectory("idle-tunnels");
        try {
            run(n, dir);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void run(int n, Path dir) throws Exception {
        InetSocketAddress loopback = new InetSocketAddress("127.0.0.1", 0);
        try (DefaultTunnelAgent a = agent(dir.resolve("a"), loopback);
             DefaultTunnelAgent b = agent(dir.resolve("b"), loopback)) {
            // Warm-up tunnel: class loading, JIT and thread pools are not per-tunnel costs.
            List<Tunnel> tunnels = new ArrayList<>(openPairs(a, b, 0, 1));
            Footprint base = Footprint.now();
            tunnels.addAll(openPairs(a, b, 1, 1 + n));
            Thread.sleep(2000);
            Footprint first = Footprint.now();
            // A second batch: by now the young generation's pages are resident whatever the
            // tunnel count, so this step's growth is what a tunnel keeps, not handshake garbage.
            tunnels.addAll(openPairs(a, b, 1 + n, 1 + 2 * n));
            Thread.sleep(2000);
            Footprint second = Footprint.now();
            if (System.getenv("IDLE_TUNNELS_PAUSE") != null) {
                // Time for a look from outside (jcmd VM.native_memory, pmap) while the tunnels are up.
                Thread.sleep(Long.parseLong(System.getenv("IDLE_TUNNELS_PAUSE")) * 1000);
            }
            System.out.println("idle tunnels, first " + n + ": " + first.minus(base, 2 * n));
            System.out.println("idle tunnels, next " + n + ":  " + second.minus(first, 2 * n));
            String cpuSeconds = System.getenv("IDLE_TUNNELS_CPU_SECONDS");
            if (cpuSeconds != null) {
                // Issue 16's footprint figure: what idle tunnels cost in CPU (keepalives, waits, timers).
                long seconds = Long.parseLong(cpuSeconds);
                var os = java.lang.management.ManagementFactory.getPlatformMXBean(
                        com.sun.management.OperatingSystemMXBean.class);
                long before = os.getProcessCpuTime();
                Thread.sleep(seconds * 1000);
                double share = (os.getProcessCpuTime() - before) / (seconds * 1e9);
                System.out.printf("idle tunnels, CPU over %d s: %.2f%% of one core for %d tunnel ends"
                        + " (%.2f%% per 10)%n", seconds, 100 * share, tunnels.size(), 1000 * share / tunnels.size());
            }
            tunnels.forEach(Tunnel::close);
        }
    }

    private static DefaultTunnelAgent agent(Path state, InetSocketAddress bind) throws IOException {
        AgentConfig config = AgentConfig.defaults(state).withTapPrefix("zm")
                .withTimers(Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofMinutes(10));
        return new DefaultTunnelAgent(config, NodeCertificate.generate(), new DirectUdpPaths(bind, 1500),
                new TapOnly(config.tapMtu()));
    }

    /**
     * Opens tunnels for overlays {@code from..to-1} on both sides and waits until all are up.
     * Overlay IDs are two distinct characters each, so TAP names (which keep two) never clash.
     */
    private static List<Tunnel> openPairs(DefaultTunnelAgent a, DefaultTunnelAgent b, int from, int to)
            throws Exception {
        CountDownLatch up = new CountDownLatch(2 * (to - from));
        AtomicInteger failed = new AtomicInteger();
        List<Tunnel> tunnels = new ArrayList<>();
        for (int i = from; i < to; i++) {
            String overlay = "" + (char) ('a' + i / 36) + Character.forDigit(i % 36, 36);
            Tunnel ta = a.open(TunnelRequest.of(overlay, LOW, HIGH, "none"), e -> count(e, up, failed));
            Tunnel tb = b.open(TunnelRequest.of(overlay, HIGH, LOW, "none"), e -> count(e, up, failed));
            ta.connect(b.localFingerprint(), tb.localParameters());
            tb.connect(a.localFingerprint(), ta.localParameters());
            tunnels.add(ta);
            tunnels.add(tb);
        }
        if (!up.await(60 + 2L * (to - from), TimeUnit.SECONDS) || failed.get() > 0) {
            throw new IOException("tunnels did not come up: " + failed.get() + " went down, "
                    + up.getCount() + " still waiting");
        }
        return tunnels;
    }

    private static void count(TunnelEvent e, CountDownLatch up, AtomicInteger failed) {
        if (e instanceof TunnelEvent.Up) {
            up.countDown();
        } else if (e instanceof TunnelEvent.Down d && up.getCount() > 0) {
            System.err.println("down before all were up: " + d.detail());
            failed.incrementAndGet();
        }
    }

    /** Resident set, heap in use after a full collection, and live threads. */
    private record Footprint(long rssKb, long heapBytes, int threads) {
        static Footprint now() throws IOException, InterruptedException {
            Runtime rt = Runtime.getRuntime();
            for (int i = 0; i < 3; i++) {
                System.gc();
                Thread.sleep(100);
            }
            long rss = 0;
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            return new Footprint(rss, rt.totalMemory() - rt.freeMemory(), Thread.activeCount());
        }

        /** The growth since {@code earlier}, in total and per tunnel end. */
        String minus(Footprint earlier, int ends) {
            long rss = rssKb - earlier.rssKb;
            long heap = heapBytes - earlier.heapBytes;
            int t = threads - earlier.threads;
            return String.format("%d tunnel ends: RSS %+.1f MB (%.0f KB per end), heap after GC %+.1f MB"
                    + " (%.0f KB per end), threads %+d (%.1f per end)", ends, rss / 1024.0, rss / (double) ends,
                    heap / 1048576.0, heap / 1024.0 / ends, t, t / (double) ends);
        }
    }
}
