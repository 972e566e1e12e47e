package org.symphonet.overlay.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.symphonet.overlay.config.ReportConfig;
import org.symphonet.overlay.status.NodeStatus;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

/** The reporter against real sockets: a small HTTP server standing in for the collector, or none. */
class StatusReporterTest {

    private static final String TOKEN = "test-token-0123456789";
    private static final NodeStatus STATUS = new NodeStatus("0123456789abcdef0123456789abcdef", "0.1.0", 5,
            new NodeStatus.Xmpp("n@x", true, false, 1, 2, 3, 0, 0),
            List.of(new NodeStatus.Overlay("lab", "br-lab", 2, false, List.of(), List.of(), 1, Map.of("frb_sent", 4L))));

    @TempDir
    Path dir;
    private StatusReporter reporter;
    private HttpServer server;

    @AfterEach
    void stop() {
        if (reporter != null) {
            reporter.close();
        }
        if (server != null) {
            server.stop(0);
        }
    }

    private ReportConfig config(int port) throws IOException {
        Path token = dir.resolve("token");
        Files.writeString(token, TOKEN + "\n");
        return new ReportConfig(URI.create("http://127.0.0.1:" + port), token, Duration.ofSeconds(1));
    }

    /** A collector that records what it is sent and answers with {@code code}. */
    private BlockingQueue<String[]> collector(int port, int code) throws IOException {
        BlockingQueue<String[]> got = new LinkedBlockingQueue<>();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 8);
        server.createContext("/", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes());
            got.add(new String[] {ex.getRequestMethod() + " " + ex.getRequestURI().getPath(),
                    ex.getRequestHeaders().getFirst("Authorization"), body});
            ex.sendResponseHeaders(code, -1);
            ex.close();
        });
        server.start();
        return got;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void withoutConfigThereIsNoReporter() throws Exception {
        assertNull(StatusReporter.start(Optional.empty(), () -> STATUS));
    }

    @Test
    void reportsArriveWithTheTokenEveryInterval() throws Exception {
        int port = freePort();
        BlockingQueue<String[]> got = collector(port, 204);
        reporter = StatusReporter.start(Optional.of(config(port)), () -> STATUS);
        ObjectMapper json = new ObjectMapper();
        long lastSeq = 0;
        for (int i = 0; i < 2; i++) {
            String[] r = got.poll(10, TimeUnit.SECONDS);
            assertTrue(r != null, "report " + i + " arrived");
            assertEquals("POST /api/v1/report", r[0]);
            assertEquals("Bearer " + TOKEN, r[1]);
            NodeReport rep = json.readValue(r[2], NodeReport.class);
            assertEquals(NodeReport.SCHEMA, rep.schema());
            assertEquals(1000, rep.intervalMillis());
            assertEquals(STATUS, rep.status());
            assertTrue(rep.seq() > lastSeq);
            lastSeq = rep.seq();
        }
        assertTrue(reporter.sent() >= 1);
    }

    @Test
    void aCollectorThatIsDownIsRetriedWithBackoffAndPickedUpWhenItComesBack() throws Exception {
        int port = freePort();
        AtomicInteger snapshots = new AtomicInteger();
        reporter = StatusReporter.start(Optional.of(config(port)), () -> {
            snapshots.incrementAndGet();
            return STATUS;
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (reporter.failed() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(reporter.failed() >= 2, "attempts against a closed port fail: " + reporter.failed());
        assertEquals(0, reporter.sent());
        BlockingQueue<String[]> got = collector(port, 200);
        assertTrue(got.poll(15, TimeUnit.SECONDS) != null, "reports resume once the collector is up");
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (reporter.sent() < 1 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(reporter.sent() >= 1);
    }

    @Test
    void aCollectorThatNeverAnswersOnlyTimesOutTheReporter() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            BlockingQueue<Socket> held = new LinkedBlockingQueue<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept()); // accepted, read never, answered never
                    }
                } catch (IOException e) {
                    // closed
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            reporter = StatusReporter.start(Optional.of(config(silent.getLocalPort())), () -> STATUS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (reporter.failed() < 1 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(reporter.failed() >= 1, "the read timed out and counted as a failure");
            assertTrue(held.size() >= 1);
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void aRejectedTokenIsAFailureNotASuccess() throws Exception {
        int port = freePort();
        BlockingQueue<String[]> got = collector(port, 401);
        reporter = StatusReporter.start(Optional.of(config(port)), () -> STATUS);
        assertTrue(got.poll(10, TimeUnit.SECONDS) != null);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (reporter.failed() < 1 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(0, reporter.sent());
        assertTrue(reporter.failed() >= 1);
    }

    @Test
    void aBadTokenFileStopsTheStartWithItsName() throws Exception {
        Path token = dir.resolve("empty-token");
        Files.writeString(token, "\n");
        ReportConfig c = new ReportConfig(URI.create("http://127.0.0.1:1"), token, Duration.ofSeconds(1));
        IOException e = assertThrows(IOException.class, () -> StatusReporter.start(Optional.of(c), () -> STATUS));
        assertTrue(e.getMessage().contains("empty-token"), e.getMessage());
    }
}
