package org.symphonet.collector;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.net.httpserver.HttpExchange;

/**
 * Server-sent-event streams to dashboards. Each client has a small queue and a writer thread of its
 * own, so a browser that stops reading blocks only its own thread; when its queue overflows it is
 * dropped (the browser's EventSource reconnects and starts from a fresh view). The number of
 * clients is capped: memory stays bounded however many tabs are open.
 */
final class SseHub implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SseHub.class);
    static final int QUEUE = 64;
    private static final long KEEPALIVE_SECONDS = 15;
    private static final byte[] KEEPALIVE = ": keepalive\n\n".getBytes(StandardCharsets.UTF_8);
    /** Tells a writer to stop; compared by identity. */
    private static final byte[] STOP = new byte[0];

    private final class Client implements Runnable {
        final String overlay;
        final HttpExchange exchange;
        final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(QUEUE);

        Client(String overlay, HttpExchange exchange) {
            this.overlay = overlay;
            this.exchange = exchange;
        }

        @Override
        public void run() {
            try (OutputStream out = exchange.getResponseBody()) {
                while (true) {
                    byte[] m = queue.poll(KEEPALIVE_SECONDS, TimeUnit.SECONDS);
                    if (m == STOP) {
                        break;
                    }
                    out.write(m == null ? KEEPALIVE : m);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // the browser went away
            } finally {
                clients.remove(this);
                // Closed here, on the client's own thread: closing may block on a stuck socket too.
                exchange.close();
            }
        }

        /** Ends the stream from any thread without blocking. */
        void drop() {
            clients.remove(this);
            queue.clear();
            queue.offer(STOP);
        }
    }

    private final int max;
    private final Set<Client> clients = ConcurrentHashMap.newKeySet();

    SseHub(int max) {
        this.max = max;
    }

    /**
     * Takes over {@code exchange} as a stream of one overlay's messages, {@code first} sent at once.
     * Returns false (and leaves the exchange to the caller) when there are too many clients.
     */
    boolean open(HttpExchange exchange, String overlay, byte[] first) throws IOException {
        if (clients.size() >= max) {
            return false;
        }
        Client c = new Client(overlay, exchange);
        c.queue.add(first);
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(200, 0);
        clients.add(c);
        Thread t = new Thread(c, "collector-sse");
        t.setDaemon(true);
        t.start();
        return true;
    }

    /** Queues a message for the clients of {@code overlay}; never blocks. */
    void publish(String overlay, byte[] message) {
        for (Client c : clients) {
            if (c.overlay.equals(overlay) && !c.queue.offer(message)) {
                log.info("dropping a dashboard stream that does not keep up");
                c.drop();
            }
        }
    }

    int clients() {
        return clients.size();
    }

    static byte[] message(String event, String json) {
        return ("event: " + event + "\ndata: " + json + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        for (Client c : clients) {
            c.drop();
        }
    }
}
