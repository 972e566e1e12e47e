package org.symphonet.collector;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.symphonet.collector.ReportValidator.BadReport;
import org.symphonet.overlay.report.NodeReport;
import org.symphonet.overlay.status.HttpReply;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The collector's HTTP face (JDK HttpServer): nodes POST reports, dashboards and scripts read the
 * JSON API and the event stream, browsers load the dashboard's static files from the jar itself.
 *
 * <pre>
 * POST /api/v1/report              a node's report (Authorization: Bearer TOKEN)   204, 400, 401, 413, 503
 * GET  /api/v1/overlays            [{id, nodes, online, links}]
 * GET  /api/v1/overlays/ID         the overlay's view: nodes in ring order, merged links
 * GET  /api/v1/nodes/ID            a node's last report, standing and when it came
 * GET  /api/v1/events?overlay=ID&after=SEQ&limit=N    the event history
 * GET  /api/v1/stream?overlay=ID   server-sent events: "view" on change, "event" per event
 * GET  /metrics                    the collector's own counters (Prometheus)
 * GET  /healthz                    "ok"
 * GET  /                           the dashboard
 * </pre>
 */
public final class CollectorServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CollectorServer.class);
    private static final String WEB = "/org/symphonet/collector/web/";
    private static final Map<String, String> ASSETS = Map.of(
            "/", "index.html text/html; charset=utf-8",
            "/index.html", "index.html text/html; charset=utf-8",
            "/static/app.js", "app.js text/javascript; charset=utf-8",
            "/static/style.css", "style.css text/css; charset=utf-8",
            "/static/favicon.svg", "favicon.svg image/svg+xml");

    private final HttpServer http;
    private final ExecutorService workers;
    private final Collector collector;
    private final ReportValidator validator = new ReportValidator();
    private final byte[] token;
    private final Map<String, byte[]> assets = new HashMap<>();
    private final LongAdder unauthorized = new LongAdder();
    private final LongAdder malformed = new LongAdder();

    private CollectorServer(HttpServer http, ExecutorService workers, Collector collector, String token) throws IOException {
        this.http = http;
        this.workers = workers;
        this.collector = collector;
        this.token = token.getBytes(StandardCharsets.US_ASCII);
        for (String spec : ASSETS.values()) {
            String file = spec.substring(0, spec.indexOf(' '));
            try (InputStream in = CollectorServer.class.getResourceAsStream(WEB + file)) {
                if (in == null) {
                    throw new IOException("dashboard file " + file + " missing from the jar");
                }
                assets.put(file, in.readAllBytes());
            }
        }
    }

    /** Binds {@code address} (port 0: any free port) and serves until closed. */
    public static CollectorServer start(InetSocketAddress address, String token, Collector collector) throws IOException {
        HttpServer http = HttpServer.create(address, 128);
        AtomicInteger n = new AtomicInteger();
        ExecutorService workers = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "collector-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        CollectorServer s = new CollectorServer(http, workers, collector, token);
        http.createContext("/", s::handle);
        http.setExecutor(workers);
        http.start();
        return s;
    }

    public InetSocketAddress address() {
        return http.getAddress();
    }

    private void handle(HttpExchange ex) {
        boolean keepOpen = false;
        try {
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            if (path.equals(NodeReport.PATH)) {
                if (!method.equals("POST")) {
                    text(ex, 405, "reports are POSTed");
                } else {
                    report(ex);
                }
                return;
            }
            if (!method.equals("GET") && !method.equals("HEAD")) {
                text(ex, 405, "only GET here");
                return;
            }
            Map<String, String> q = query(ex.getRequestURI().getRawQuery());
            if (ASSETS.containsKey(path)) {
                String spec = ASSETS.get(path);
                send(ex, 200, spec.substring(spec.indexOf(' ') + 1), assets.get(spec.substring(0, spec.indexOf(' '))));
            } else if (path.equals("/healthz")) {
                text(ex, 200, "ok");
            } else if (path.equals("/metrics")) {
                send(ex, 200, "text/plain; version=0.0.4; charset=utf-8", metrics().getBytes(StandardCharsets.UTF_8));
            } else if (path.equals("/api/v1/overlays")) {
                List<Map<String, Object>> list = new ArrayList<>();
                for (String o : collector.overlays()) {
                    OverlayView v = collector.view(o);
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("id", o);
                    m.put("nodes", v == null ? 0 : v.nodes().size());
                    m.put("online", v == null ? 0 : v.nodes().stream().filter(x -> x.state().equals("online")).count());
                    m.put("links", v == null ? 0 : v.links().size());
                    list.add(m);
                }
                json(ex, 200, collector.write(list));
            } else if (path.startsWith("/api/v1/overlays/")) {
                String v = collector.viewJson(path.substring("/api/v1/overlays/".length()));
                if (v == null) {
                    text(ex, 404, "no node reports that overlay");
                } else {
                    json(ex, 200, v);
                }
            } else if (path.startsWith("/api/v1/nodes/")) {
                GlobalView.NodeDetail d = collector.detail(path.substring("/api/v1/nodes/".length()));
                if (d == null) {
                    text(ex, 404, "no such node");
                } else {
                    json(ex, 200, collector.write(d));
                }
            } else if (path.equals("/api/v1/events")) {
                long after = number(q.get("after"), 0);
                int limit = (int) Math.min(1000, number(q.get("limit"), 200));
                json(ex, 200, collector.write(collector.events(after, q.get("overlay"), limit)));
            } else if (path.equals("/api/v1/stream")) {
                String overlay = q.get("overlay");
                if (overlay == null || overlay.isEmpty()) {
                    text(ex, 400, "say which overlay: /api/v1/stream?overlay=ID");
                } else if (collector.streams().open(ex, overlay, SseHub.message("view", collector.streamView(overlay)))) {
                    keepOpen = true;
                } else {
                    text(ex, 503, "too many dashboard streams open");
                }
            } else {
                text(ex, 404, "not found; the API is under /api/v1/");
            }
        } catch (NumberFormatException e) {
            quietly(ex, 400, "bad number in the query: " + e.getMessage());
        } catch (Exception e) {
            log.warn("request {} {} failed", ex.getRequestMethod(), ex.getRequestURI(), e);
            quietly(ex, 500, "internal error");
        } finally {
            if (!keepOpen) {
                ex.close();
            }
        }
    }

    private void report(HttpExchange ex) throws IOException {
        if (!authorized(ex.getRequestHeaders().getFirst("Authorization"))) {
            unauthorized.increment();
            ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"symphonet\"");
            text(ex, 401, "missing or wrong bearer token");
            return;
        }
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        if (length != null && length.matches("\\d{1,18}") && Long.parseLong(length) > ReportValidator.MAX_BYTES) {
            malformed.increment();
            // Read (a bounded amount of) what was sent, so the client gets the answer instead of a reset.
            try (InputStream in = ex.getRequestBody()) {
                byte[] sink = new byte[16384];
                long left = Math.min(Long.parseLong(length), 2L * ReportValidator.MAX_BYTES);
                for (int n; left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0; ) {
                    left -= n;
                }
            } catch (IOException e) {
                // it will see the connection close
            }
            text(ex, 413, "report is larger than " + ReportValidator.MAX_BYTES + " bytes");
            return;
        }
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readNBytes(ReportValidator.MAX_BYTES + 1);
        }
        NodeReport r;
        try {
            r = validator.parse(body);
        } catch (BadReport e) {
            malformed.increment();
            text(ex, body.length > ReportValidator.MAX_BYTES ? 413 : 400, "bad report: " + e.getMessage());
            return;
        }
        GlobalView.Outcome o;
        try {
            o = collector.submit(r).get(10, TimeUnit.SECONDS);
        } catch (RejectedExecutionException e) {
            ex.getResponseHeaders().set("Retry-After", "5");
            text(ex, 503, "collector busy; try again later");
            return;
        } catch (Exception e) {
            text(ex, 503, "collector could not take the report: " + e);
            return;
        }
        if (o == GlobalView.Outcome.FULL) {
            text(ex, 503, "collector full: it tracks its maximum number of nodes (--max-nodes)");
            return;
        }
        ex.sendResponseHeaders(204, -1);
    }

    private boolean authorized(String header) {
        if (header == null || !header.startsWith("Bearer ")) {
            return false;
        }
        // Constant time: the token must not leak through response timing.
        return MessageDigest.isEqual(token, header.substring(7).trim().getBytes(StandardCharsets.US_ASCII));
    }

    private String metrics() throws Exception {
        StringBuilder b = new StringBuilder();
        metric(b, "symphonet_collector_reports_total", "counter", "Reports by outcome.",
                new String[][] {{"outcome=\"accepted\"", Long.toString(collector.accepted.sum())},
                        {"outcome=\"unauthorized\"", Long.toString(unauthorized.sum())},
                        {"outcome=\"malformed\"", Long.toString(malformed.sum())},
                        {"outcome=\"full\"", Long.toString(collector.refusedFull.sum())},
                        {"outcome=\"busy\"", Long.toString(collector.refusedBusy.sum())}});
        metric(b, "symphonet_collector_nodes", "gauge", "Nodes the collector remembers.",
                new String[][] {{"", Integer.toString(collector.nodes())}});
        metric(b, "symphonet_collector_queued_reports", "gauge", "Reports waiting for the state thread.",
                new String[][] {{"", Integer.toString(collector.queued())}});
        metric(b, "symphonet_collector_streams", "gauge", "Open dashboard streams.",
                new String[][] {{"", Integer.toString(collector.streams().clients())}});
        return b.toString();
    }

    private static void metric(StringBuilder b, String name, String type, String help, String[][] samples) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n');
        b.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        for (String[] s : samples) {
            b.append(name).append(s[0].isEmpty() ? "" : "{" + s[0] + "}").append(' ').append(s[1]).append('\n');
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> m = new HashMap<>();
        if (raw == null) {
            return m;
        }
        for (String kv : raw.split("&")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                m.put(URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return m;
    }

    private static long number(String s, long dflt) {
        return s == null || s.isEmpty() ? dflt : Long.parseLong(s);
    }

    private static void json(HttpExchange ex, int code, String body) throws IOException {
        send(ex, code, "application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    private static void text(HttpExchange ex, int code, String body) throws IOException {
        send(ex, code, "text/plain; charset=utf-8", (body + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static void quietly(HttpExchange ex, int code, String body) {
        try {
            text(ex, code, body);
        } catch (IOException | RuntimeException e) {
            // headers were already sent, or the client is gone
        }
    }

    private static void send(HttpExchange ex, int code, String type, byte[] body) throws IOException {
        HttpReply.send(ex, code, type, body);
    }

    @Override
    public void close() {
        http.stop(0);
        workers.shutdownNow();
    }
}
