package org.symphonet.overlay.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.symphonet.overlay.config.ReportConfig;
import org.symphonet.overlay.signal.Backoff;
import org.symphonet.overlay.status.NodeStatus;
import org.symphonet.overlay.status.StatusSource;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Posts the node's status to the collector every interval. Everything happens on one daemon thread of
 * its own with connect and read timeouts, so a collector that is down, slow or hostile can delay
 * only the next report, never the node; failures back off (interval, doubling, capped) and are
 * logged once per outage.
 */
public final class StatusReporter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StatusReporter.class);
    /** The longest pause between attempts while the collector is unreachable. */
    static final Duration MAX_BACKOFF = Duration.ofMinutes(2);
    /** A collector's answer is a line or two; more is not read. */
    private static final int MAX_ANSWER = 512;

    private final ReportConfig config;
    private final StatusSource source;
    private final ScheduledExecutorService thread;
    private final ObjectMapper json = new ObjectMapper();
    private final OutageLog outage = new OutageLog();
    private final Backoff backoff;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private long seq;
    private String token;
    private FileTime tokenTime;
    private volatile boolean closed;

    private StatusReporter(ReportConfig config, StatusSource source, String token, FileTime tokenTime) {
        this.config = config;
        this.source = source;
        this.token = token;
        this.tokenTime = tokenTime;
        Duration max = config.interval().compareTo(MAX_BACKOFF) > 0 ? config.interval() : MAX_BACKOFF;
        this.backoff = new Backoff(config.interval(), max, new Random());
        this.connectTimeout = min(config.interval(), Duration.ofSeconds(5));
        this.readTimeout = min(config.interval(), Duration.ofSeconds(10));
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "status-report");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts reporting when {@code config} is present (the first report goes out at once); returns
     * null when it is not. Fails only on an unreadable or malformed token file, a configuration
     * error the operator should see at start rather than as a silent dashboard gap.
     */
    public static StatusReporter start(Optional<ReportConfig> config, StatusSource source) throws IOException {
        if (config.isEmpty()) {
            return null;
        }
        ReportConfig c = config.get();
        String token = TokenFile.read(c.tokenFile());
        StatusReporter r = new StatusReporter(c, source, token, Files.getLastModifiedTime(c.tokenFile()));
        if ("http".equalsIgnoreCase(c.url().getScheme()) && !isLoopback(c.url().getHost())) {
            log.warn("reporting to {} over plain http: the token and the topology cross the network unencrypted",
                    c.url());
        }
        log.info("reporting status to {} every {} s", c.reportUri(), c.interval().toMillis() / 1000.0);
        r.thread.execute(r::attempt);
        return r;
    }

    /** Reports that reached the collector and were accepted. */
    public long sent() {
        return sent.get();
    }

    /** Attempts that failed (collector down, refused, timed out). */
    public long failed() {
        return failed.get();
    }

    /** One attempt, then the next is scheduled: the interval after a success, a backoff after a failure. */
    private void attempt() {
        if (closed) {
            return;
        }
        Duration next = config.interval();
        try {
            String problem = sendOnce();
            if (problem == null) {
                sent.incrementAndGet();
                backoff.reset();
                outage.success().ifPresent(log::info);
            } else {
                failed.incrementAndGet();
                outage.failure(problem).ifPresent(log::warn);
                Duration b = backoff.next();
                next = b.compareTo(next) > 0 ? b : next;
            }
        } catch (RuntimeException e) {
            // A bug must not end reporting for the life of the node: log it once, go on.
            failed.incrementAndGet();
            outage.failure("internal error: " + e).ifPresent(line -> log.warn(line, e));
        }
        try {
            thread.schedule(this::attempt, next.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed meanwhile
        }
    }

    /** Returns null when the collector accepted the report, else what went wrong in one line. */
    private String sendOnce() {
        String problem = refreshToken();
        if (problem != null) {
            return problem;
        }
        NodeStatus status;
        try {
            status = source.snapshot();
        } catch (RuntimeException e) {
            return "node status not available: " + e;
        }
        byte[] body;
        try {
            body = json.writeValueAsBytes(new NodeReport(NodeReport.SCHEMA, ++seq, config.interval().toMillis(), status));
        } catch (IOException e) {
            return "cannot encode the status: " + e;
        }
        HttpURLConnection c = null;
        try {
            c = (HttpURLConnection) config.reportUri().toURL().openConnection();
            c.setConnectTimeout((int) connectTimeout.toMillis());
            c.setReadTimeout((int) readTimeout.toMillis());
            c.setRequestMethod("POST");
            c.setDoOutput(true);
            c.setInstanceFollowRedirects(false);
            c.setFixedLengthStreamingMode(body.length);
            c.setRequestProperty("Content-Type", "application/json");
            c.setRequestProperty("Authorization", "Bearer " + token);
            try (OutputStream out = c.getOutputStream()) {
                out.write(body);
            }
            int code = c.getResponseCode();
            String answer = readAnswer(code >= 400 ? c.getErrorStream() : c.getInputStream());
            if (code / 100 == 2) {
                return null;
            }
            if (code == 401 || code == 403) {
                return "the collector rejected the token: HTTP " + code + " " + answer;
            }
            return "the collector refused the report: HTTP " + code + " " + answer;
        } catch (IOException e) {
            return "collector " + config.url() + " unreachable: " + e;
        } finally {
            if (c != null) {
                c.disconnect();
            }
        }
    }

    /** The token file may be rotated while the node runs: read it again when it changed. */
    private String refreshToken() {
        try {
            FileTime t = Files.getLastModifiedTime(config.tokenFile());
            if (!t.equals(tokenTime)) {
                token = TokenFile.read(config.tokenFile());
                tokenTime = t;
                log.info("token file {} changed; using the new token", config.tokenFile());
            }
            return null;
        } catch (IOException e) {
            return "token file unusable: " + e.getMessage();
        }
    }

    private static String readAnswer(InputStream in) throws IOException {
        if (in == null) {
            return "";
        }
        try (in) {
            byte[] b = in.readNBytes(MAX_ANSWER);
            String s = new String(b, StandardCharsets.UTF_8).strip();
            int nl = s.indexOf('\n');
            return nl < 0 ? s : s.substring(0, nl);
        }
    }

    private static boolean isLoopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1");
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) < 0 ? a : b;
    }

    @Override
    public void close() {
        closed = true;
        thread.shutdownNow();
    }
}
