package org.symphonet.overlay.status;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The status endpoint (DESIGN.md §7) on 127.0.0.1 only: {@code GET /status} (JSON) and
 * {@code GET /metrics} (Prometheus). Loopback because it shows the topology and peers; there is
 * no authentication, so it must never listen anywhere else.
 */
public final class StatusServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StatusServer.class);

    private final HttpServer http;
    private final ExecutorService executor;
    private final StatusSource source;
    /**
     * Made at the first {@code /status} request, on the status thread (the only one that uses it):
     * Jackson's data binding is ~300 classes and ~25 ms of CPU a node need not spend while it starts.
     */
    private ObjectMapper json;

    private StatusServer(HttpServer http, ExecutorService executor, StatusSource source) {
        this.http = http;
        this.executor = executor;
        this.source = source;
    }

    /** Binds 127.0.0.1:{@code port} ({@code 0}: any free port, for tests) and starts serving. */
    public static StatusServer start(int port, StatusSource source) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        ExecutorService ex = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "symphonet-status");
            t.setDaemon(true);
            return t;
        });
        StatusServer s = new StatusServer(http, ex, source);
        http.createContext("/", s::handle);
        http.setExecutor(ex);
        http.start();
        log.info("status endpoint on http://127.0.0.1:{}/status and /metrics", s.port());
        return s;
    }

    public int port() {
        return http.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if (!"GET".equals(ex.getRequestMethod()) && !"HEAD".equals(ex.getRequestMethod())) {
                reply(ex, 405, "text/plain", "only GET\n");
                return;
            }
            switch (ex.getRequestURI().getPath()) {
                case "/status" -> reply(ex, 200, "application/json", json().writeValueAsString(source.snapshot()) + "\n");
                case "/metrics" -> reply(ex, 200, "text/plain; version=0.0.4; charset=utf-8",
                        PrometheusText.render(source.snapshot()));
                default -> reply(ex, 404, "text/plain", "try /status or /metrics\n");
            }
        } catch (RuntimeException e) {
            log.warn("status request failed", e);
        }
    }

    private ObjectMapper json() {
        if (json == null) {
            json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        }
        return json;
    }

    private static void reply(HttpExchange ex, int code, String type, String body) throws IOException {
        HttpReply.send(ex, code, type, body.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        http.stop(0);
        executor.shutdownNow();
    }
}
