package org.symphonet.overlay.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

class StatusServerTest {

    static final NodeStatus SAMPLE = new NodeStatus("0123456789abcdef0123456789abcdef", "0.1.0", 42,
            new NodeStatus.Xmpp("node1@example.org/symphonet", true, true, 3, 10, 12, 1, 0, "xmpp1.example.org",
                    new NodeStatus.Wire(120, 95, 48_000, 31_000)),
            List.of(new NodeStatus.Overlay("lan1", "symbr0", 4, false, List.of(
                    new NodeStatus.Link("fedcba9876543210fedcba9876543210", "node2@example.org/symphonet", "successor",
                            "outbound", "up", "direct", 0.8, 1000, 2000, 30),
                    new NodeStatus.Link("11111111111111111111111111111111", "node3@example.org/symphonet", "shortcut",
                            "inbound", "negotiating", "unknown", -1, 0, 0, 1)),
                    List.of(new NodeStatus.Traffic("22222222222222222222222222222222", 1.5e6, 2)), 0, java.util.Map.of())));

    private final HttpClient client = HttpClient.newHttpClient();

    private HttpResponse<String> get(int port, String path, String method) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesJsonThatReadsBackIntoTheRecords() throws Exception {
        try (StatusServer s = StatusServer.start(0, () -> SAMPLE)) {
            HttpResponse<String> r = get(s.port(), "/status", "GET");
            assertEquals(200, r.statusCode());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
            assertEquals(SAMPLE, new ObjectMapper().readValue(r.body(), NodeStatus.class));
        }
    }

    @Test
    void servesPrometheusText() throws Exception {
        try (StatusServer s = StatusServer.start(0, () -> SAMPLE)) {
            HttpResponse<String> r = get(s.port(), "/metrics", "GET");
            assertEquals(200, r.statusCode());
            String m = r.body();
            assertTrue(m.contains("# TYPE symphonet_xmpp_connected gauge\nsymphonet_xmpp_connected 1\n"), m);
            assertTrue(m.contains("\nsymphonet_xmpp_tls 1\n"), m);
            assertTrue(m.contains("symphonet_signal_messages_total{outcome=\"dropped\"} 1\n"), m);
            assertTrue(m.contains("symphonet_links{overlay=\"lan1\",role=\"successor\",state=\"up\",type=\"direct\"} 1\n"), m);
            assertTrue(m.contains("symphonet_links{overlay=\"lan1\",role=\"shortcut\",state=\"negotiating\",type=\"none\"} 1\n"), m);
            assertTrue(m.contains("symphonet_link_rtt_seconds{overlay=\"lan1\",peer=\"fedcba9876543210fedcba9876543210\","
                    + "type=\"direct\"} 8.0E-4\n"), m);
            assertTrue(!m.contains("peer=\"11111111111111111111111111111111\",type"), "no RTT before it is measured");
            assertTrue(m.contains("symphonet_traffic_bytes_per_second{overlay=\"lan1\",peer=\"22222222222222222222222222222222\"}"
                    + " 1500000\n"), m);
            assertTrue(m.contains("symphonet_link_bytes_total{direction=\"out\",overlay=\"lan1\","
                    + "peer=\"fedcba9876543210fedcba9876543210\",role=\"successor\",type=\"direct\"} 2000\n"), m);
            assertTrue(m.contains("symphonet_build_info{node=\"0123456789abcdef0123456789abcdef\",version=\"0.1.0\"} 1\n"), m);
        }
    }

    @Test
    void otherPathsAndMethodsAreRefused() throws Exception {
        try (StatusServer s = StatusServer.start(0, () -> SAMPLE)) {
            assertEquals(404, get(s.port(), "/", "GET").statusCode());
            assertEquals(405, get(s.port(), "/status", "POST").statusCode());
        }
    }

    @Test
    void labelValuesAreEscaped() {
        assertEquals("a\\\"b\\\\c\\n", PrometheusText.escape("a\"b\\c\n"));
    }
}
