package org.symphonet.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.symphonet.collector.Reports.id;
import static org.symphonet.collector.Reports.report;
import static org.symphonet.collector.Reports.up;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.symphonet.overlay.report.NodeReport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The collector over real HTTP: authentication, validation, the API, the stream and the dashboard files. */
class CollectorServerTest {

    static final String TOKEN = "collector-test-token-0123";
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Collector collector;
    private CollectorServer server;
    private String base;

    @BeforeEach
    void start() throws Exception {
        Collector.Settings d = Collector.Settings.DEFAULT;
        collector = new Collector(new Collector.Settings(100, Duration.ofMinutes(1), 50, 64, Duration.ofMillis(50), 4),
                System::currentTimeMillis);
        server = CollectorServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), TOKEN, collector);
        base = "http://127.0.0.1:" + server.address().getPort();
    }

    @AfterEach
    void stop() {
        server.close();
        collector.close();
    }

    HttpResponse<String> post(String token, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + NodeReport.PATH)).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(NodeReport r) throws Exception {
        return post(TOKEN, json.writeValueAsBytes(r));
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode waitFor(String path) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = get(path);
            if (r.statusCode() == 200) {
                return json.readTree(r.body());
            }
            Thread.sleep(20);
        }
        throw new AssertionError(path + " never answered 200");
    }

    @Test
    void aMissingOrWrongTokenIs401AndChangesNothing() throws Exception {
        byte[] body = json.writeValueAsBytes(report(1, 1, "lab"));
        HttpResponse<String> r = post("wrong-token-wrong-token", body);
        assertEquals(401, r.statusCode());
        assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
        assertEquals(401, post(null, body).statusCode());
        assertEquals(401, post(TOKEN + "x", body).statusCode());
        Thread.sleep(150); // two publish periods
        assertEquals("[]", get("/api/v1/overlays").body());
        assertEquals(0, collector.nodes());
        assertTrue(get("/metrics").body().contains("symphonet_collector_reports_total{outcome=\"unauthorized\"} 3"));
    }

    @Test
    void aMalformedReportIs400WithTheFieldAndChangesNothing() throws Exception {
        HttpResponse<String> r = post(TOKEN, "{\"schema\":1,\"seq\":1,\"intervalMillis\":1000,\"status\":{\"node\":\"nope\"}}"
                .getBytes(StandardCharsets.UTF_8));
        assertEquals(400, r.statusCode());
        assertTrue(r.body().startsWith("bad report: status"), r.body());
        r = post(TOKEN, "not json".getBytes(StandardCharsets.UTF_8));
        assertEquals(400, r.statusCode());
        assertTrue(r.body().contains("malformed JSON"), r.body());
        assertEquals(413, post(TOKEN, new byte[ReportValidator.MAX_BYTES + 10]).statusCode());
        Thread.sleep(150);
        assertEquals("[]", get("/api/v1/overlays").body());
        assertEquals(0, collector.nodes());
    }

    @Test
    void anAcceptedReportShowsInTheApi() throws Exception {
        assertEquals(204, post(report(1, 3, "lab", up(2, "successor", "outbound", "relayed"))).statusCode());
        JsonNode v = waitFor("/api/v1/overlays/lab");
        assertEquals(2, v.path("nodes").size());
        assertEquals("relayed", v.path("links").get(0).path("type").asText());
        JsonNode list = json.readTree(get("/api/v1/overlays").body());
        assertEquals("lab", list.get(0).path("id").asText());
        assertEquals(1, list.get(0).path("online").asInt());
        JsonNode node = waitFor("/api/v1/nodes/" + id(1));
        assertEquals(3, node.path("report").path("seq").asInt());
        assertEquals("online", node.path("state").asText());
        JsonNode events = json.readTree(get("/api/v1/events?overlay=lab").body());
        assertEquals("node-join", events.get(0).path("kind").asText());
        assertEquals("link-up", events.get(1).path("kind").asText());
        assertEquals(404, get("/api/v1/overlays/nope").statusCode());
        assertEquals(404, get("/api/v1/nodes/" + id(9)).statusCode());
        assertEquals(400, get("/api/v1/events?after=x").statusCode());
    }

    @Test
    void theStreamSendsTheViewThenEvents() throws Exception {
        assertEquals(204, post(report(1, 1, "lab")).statusCode());
        waitFor("/api/v1/overlays/lab");
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/stream?overlay=lab")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                for (String l; (l = in.readLine()) != null; ) {
                    lines.add(l);
                }
            } catch (Exception e) {
                // closed
            }
        });
        reader.setDaemon(true);
        reader.start();
        assertEquals("event: view", lines.poll(5, TimeUnit.SECONDS));
        JsonNode first = json.readTree(lines.poll(5, TimeUnit.SECONDS).substring("data: ".length()));
        assertEquals("lab", first.path("overlays").get(0).asText());
        assertEquals(id(1), first.path("view").path("nodes").get(0).path("id").asText());
        assertEquals(204, post(report(1, 2, "lab", up(2, "shortcut", "outbound", "direct"))).statusCode());
        String eventLine = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline && eventLine == null) {
            String l = lines.poll(1, TimeUnit.SECONDS);
            if ("event: event".equals(l)) {
                eventLine = lines.poll(1, TimeUnit.SECONDS);
            }
        }
        assertTrue(eventLine != null && eventLine.contains("\"kind\":\"link-up\""), "a link-up event: " + eventLine);
        assertEquals(400, get("/api/v1/stream").statusCode());
    }

    @Test
    void theDashboardComesFromTheJarWithoutCdn() throws Exception {
        HttpResponse<String> page = get("/");
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(page.body().contains("/static/app.js"));
        assertTrue(!page.body().contains("https://") && !page.body().contains("http://"), "no external resources");
        for (String asset : new String[] {"/static/app.js", "/static/style.css", "/static/favicon.svg"}) {
            HttpResponse<String> a = get(asset);
            assertEquals(200, a.statusCode(), asset);
            assertTrue(!a.body().contains("://") || asset.endsWith(".svg") || asset.endsWith(".js"), asset);
        }
        assertEquals(404, get("/static/../pom.xml").statusCode());
        assertEquals(404, get("/etc/passwd").statusCode());
        assertEquals(405, get(NodeReport.PATH).statusCode());
        assertEquals("ok\n", get("/healthz").body());
    }
}
