package org.symphonet.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.symphonet.overlay.report.NodeReport;
import org.symphonet.overlay.status.NodeStatus;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Many nodes reporting as fast as eight senders can push: every report is accepted (none refused as
 * busy), and once the senders stop the view holds every node's newest report, so the collector kept
 * up rather than queueing. History and node count stay at their bounds however many reports came.
 * Prints the rate for the record; speed itself is a benchmark's business, not an assert's.
 */
class CollectorLoadTest {

    private static final int NODES = 200;
    private static final int ROUNDS = 25;
    private static final int SENDERS = 8;
    private static final int HISTORY = 300;
    /** Two successor links per node; shortcuts across the ring pair up (n to n+100 is 100+n to n). */
    private static final int LINKS = 2 * NODES + NODES / 2;

    @Test
    void manyReportsPerSecondDoNotFallBehind() throws Exception {
        Collector collector = new Collector(new Collector.Settings(1000, Duration.ofMinutes(5), HISTORY, 1024,
                Duration.ofMillis(200), 4), System::currentTimeMillis);
        CollectorServer server = CollectorServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                CollectorServerTest.TOKEN, collector);
        ObjectMapper json = new ObjectMapper();
        URI uri = URI.create("http://127.0.0.1:" + server.address().getPort() + NodeReport.PATH);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
        Map<Integer, Integer> refused = new ConcurrentHashMap<>();
        try {
            long start = System.nanoTime();
            List<Future<?>> jobs = new ArrayList<>();
            for (int s = 0; s < SENDERS; s++) {
                int sender = s;
                jobs.add(senders.submit(() -> {
                    for (int round = 1; round <= ROUNDS; round++) {
                        for (int n = sender; n < NODES; n += SENDERS) {
                            // Each node: its two successors and a shortcut, types changing over rounds so events flow.
                            NodeStatus.Link[] links = {
                                    Reports.up(1 + (n + 1) % NODES, "successor", "outbound", round % 2 == 0 ? "direct" : "relayed"),
                                    Reports.up(1 + (n + 2) % NODES, "successor", "outbound", "direct"),
                                    Reports.up(1 + (n + NODES / 2) % NODES, "shortcut", "outbound", "reflexive")};
                            byte[] body = json.writeValueAsBytes(Reports.report(n + 1, round, 10_000, "lab", links));
                            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(uri)
                                    .header("Authorization", "Bearer " + CollectorServerTest.TOKEN)
                                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                                    HttpResponse.BodyHandlers.discarding());
                            if (r.statusCode() != 204) {
                                refused.merge(r.statusCode(), 1, Integer::sum);
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> j : jobs) {
                j.get(5, TimeUnit.MINUTES);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            int total = NODES * ROUNDS;
            System.out.printf("collector load: %d reports from %d nodes in %.2f s = %.0f reports/s, %d queued at the end%n",
                    total, NODES, seconds, total / seconds, collector.queued());
            assertEquals(Map.of(), refused, "every report accepted");

            // Not behind: right after the last answer, every node's newest report is what the collector holds.
            for (int n = 1; n <= NODES; n++) {
                GlobalView.NodeDetail d = collector.detail(Reports.id(n));
                assertEquals(ROUNDS, d.report().seq(), "node " + n + " newest report applied");
            }
            assertEquals(NODES, collector.nodes());
            assertEquals(HISTORY, collector.historySize(), "history stays at its bound");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            OverlayView v = collector.view("lab");
            while ((v == null || v.links().size() != LINKS) && System.nanoTime() < deadline) {
                Thread.sleep(50);
                v = collector.view("lab");
            }
            assertTrue(v != null, "a view was published");
            assertEquals(NODES, v.nodes().size());
            assertEquals(LINKS, v.links().size(), "each link once, though both ends of a shortcut report it");
        } finally {
            senders.shutdownNow();
            server.close();
            collector.close();
        }
    }
}
