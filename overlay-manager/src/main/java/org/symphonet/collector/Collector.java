package org.symphonet.collector;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.symphonet.overlay.report.NodeReport;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The collector's engine: one state thread owns the {@link GlobalView}; HTTP threads hand it
 * validated reports through a bounded queue (full: the report is refused with 503, never buffered
 * without end). Every {@code publishEvery} the state thread expires silent nodes and republishes
 * the views of overlays that changed, as JSON that readers and dashboard streams share.
 */
public final class Collector implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Collector.class);

    /**
     * Limits and timings.
     *
     * @param maxNodes      nodes remembered at most (offline ones are evicted first)
     * @param forgetAfter   an offline node is forgotten after this long
     * @param history       events kept
     * @param queue         reports waiting for the state thread at most
     * @param publishEvery  how often views are rebuilt and pushed to dashboards
     * @param streamClients dashboard streams at most
     */
    public record Settings(int maxNodes, Duration forgetAfter, int history, int queue, Duration publishEvery,
                           int streamClients) {
        public static final Settings DEFAULT = new Settings(4096, Duration.ofMinutes(10), 1000, 4096,
                Duration.ofMillis(500), 32);
    }

    /** What readers see: the overlay list and each overlay's view as JSON, replaced whole on publish. */
    private record Published(List<String> overlays, Map<String, OverlayView> views, Map<String, String> json) {
    }

    private final Settings settings;
    private final LongSupplier clock;
    private final EventHistory history;
    private final GlobalView view;
    private final ThreadPoolExecutor state;
    private final ScheduledExecutorService ticker;
    private final SseHub streams;
    private final ObjectMapper json = new ObjectMapper();
    private volatile Published published = new Published(List.of(), Map.of(), Map.of());
    final LongAdder accepted = new LongAdder();
    final LongAdder refusedFull = new LongAdder();
    final LongAdder refusedBusy = new LongAdder();

    public Collector(Settings settings, LongSupplier clock) {
        this.settings = settings;
        this.clock = clock;
        this.history = new EventHistory(settings.history());
        this.view = new GlobalView(settings.maxNodes(), settings.forgetAfter().toMillis(), history);
        this.streams = new SseHub(settings.streamClients());
        this.state = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(settings.queue()), r -> {
            Thread t = new Thread(r, "collector-state");
            t.setDaemon(true);
            return t;
        });
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "collector-tick");
            t.setDaemon(true);
            return t;
        });
        long every = settings.publishEvery().toMillis();
        ticker.scheduleWithFixedDelay(() -> {
            try {
                // The tick waits in line with reports; when the queue is full it comes next time.
                state.execute(this::tick);
            } catch (RejectedExecutionException e) {
                log.debug("tick skipped: state queue full");
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Queues a validated report. Completes with the outcome once applied; fails at once with
     * {@link RejectedExecutionException} when the queue is full (the caller answers 503).
     */
    CompletableFuture<GlobalView.Outcome> submit(NodeReport r) {
        CompletableFuture<GlobalView.Outcome> f = new CompletableFuture<>();
        try {
            state.execute(() -> {
                try {
                    List<CollectorEvent> events = new ArrayList<>();
                    GlobalView.Outcome o = view.apply(r, clock.getAsLong(), events);
                    (o == GlobalView.Outcome.ACCEPTED ? accepted : refusedFull).increment();
                    push(events);
                    f.complete(o);
                } catch (RuntimeException e) {
                    log.error("applying a report of {} failed", r.status().node(), e);
                    f.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            refusedBusy.increment();
            throw e;
        }
        return f;
    }

    private void tick() {
        try {
            long now = clock.getAsLong();
            List<CollectorEvent> events = new ArrayList<>();
            view.expire(now, events);
            push(events);
            publish(now);
        } catch (RuntimeException e) {
            log.error("collector tick failed", e);
        }
    }

    /** Rebuilds the views of changed overlays (on the state thread) and streams them. */
    private void publish(long now) {
        var dirty = view.takeDirty();
        List<String> overlays = view.overlays();
        if (dirty.isEmpty() && overlays.equals(published.overlays())) {
            return;
        }
        Map<String, OverlayView> views = new HashMap<>();
        Map<String, String> texts = new HashMap<>();
        for (String o : overlays) {
            OverlayView v = dirty.contains(o) || !published.views().containsKey(o) ? view.view(o, now) : published.views().get(o);
            views.put(o, v);
            texts.put(o, dirty.contains(o) || !published.json().containsKey(o) ? write(v) : published.json().get(o));
        }
        boolean listChanged = !overlays.equals(published.overlays());
        published = new Published(List.copyOf(overlays), Map.copyOf(views), Map.copyOf(texts));
        for (String o : overlays) {
            if (dirty.contains(o) || listChanged) {
                streams.publish(o, SseHub.message("view", streamView(o)));
            }
        }
    }

    private void push(List<CollectorEvent> events) {
        for (CollectorEvent e : events) {
            streams.publish(e.overlay(), SseHub.message("event", write(e)));
        }
    }

    /** The stream's view message: the overlay list (for the selector) and one overlay's view. */
    String streamView(String overlay) {
        Published p = published;
        String v = p.json().get(overlay);
        return "{\"overlays\":" + write(p.overlays()) + ",\"view\":" + (v == null ? "null" : v) + "}";
    }

    List<String> overlays() {
        return published.overlays();
    }

    /** The last published view of an overlay as JSON, or null when no node serves it. */
    String viewJson(String overlay) {
        return published.json().get(overlay);
    }

    OverlayView view(String overlay) {
        return published.views().get(overlay);
    }

    /** Asks the state thread; waits at most a few seconds. */
    <T> T onState(java.util.concurrent.Callable<T> task) throws Exception {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return task.call();
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        }, state).get(5, TimeUnit.SECONDS);
    }

    List<CollectorEvent> events(long after, String overlay, int limit) throws Exception {
        return onState(() -> history.since(after, overlay, limit));
    }

    GlobalView.NodeDetail detail(String id) throws Exception {
        return onState(() -> view.detail(id));
    }

    int nodes() throws Exception {
        return onState(view::nodeCount);
    }

    int historySize() throws Exception {
        return onState(history::size);
    }

    int queued() {
        return state.getQueue().size();
    }

    SseHub streams() {
        return streams;
    }

    String write(Object o) {
        try {
            return json.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + o.getClass().getSimpleName(), e);
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        state.shutdownNow();
        streams.close();
    }
}
