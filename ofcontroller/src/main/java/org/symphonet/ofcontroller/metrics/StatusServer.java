package org.symphonet.ofcontroller.metrics;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import org.symphonet.ofcontroller.BridgeStatus;
import org.symphonet.ofcontroller.discovery.FabricStatus;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The standalone controller's status endpoint: {@code /status} (JSON, one object per bridge) and
 * {@code /metrics} (Prometheus text format). Served on its own single thread, so a slow scraper
 * never delays switching.
 */
public final class StatusServer implements AutoCloseable {

    private final HttpServer server;
    private final Supplier<List<BridgeStatus>> bridges;
    /** The discovered fabric, or null when the topology came from a file. */
    private final Supplier<FabricStatus> fabric;
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public StatusServer(InetSocketAddress address, Supplier<List<BridgeStatus>> bridges) throws IOException {
        this(address, bridges, null);
    }

    /** Also serves {@code /fabric}: the discovered switches, links and node IDs. */
    public StatusServer(InetSocketAddress address, Supplier<List<BridgeStatus>> bridges, Supplier<FabricStatus> fabric)
            throws IOException {
        this.bridges = bridges;
        this.fabric = fabric;
        this.server = HttpServer.create(address, 16);
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "status-http");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/status", ex -> reply(ex, "application/json", json.writeValueAsString(bridges.get())));
        if (fabric != null) {
            server.createContext("/fabric", ex -> reply(ex, "application/json", json.writeValueAsString(fabric.get())));
        }
        server.createContext("/metrics", ex -> reply(ex, "text/plain; version=0.0.4", prometheus()));
        server.start();
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    String prometheus() {
        StringBuilder sb = new StringBuilder();
        List<BridgeStatus> all = bridges.get();
        if (!all.isEmpty()) {
            for (String name : all.get(0).counters().keySet()) {
                String metric = "symphonet_switch_" + name + "_total";
                sb.append("# TYPE ").append(metric).append(" counter\n");
                for (BridgeStatus b : all) {
                    sb.append(metric).append("{datapath=\"").append(b.datapathId()).append("\"} ")
                            .append(b.counters().get(name)).append('\n');
                }
            }
        }
        sb.append("# TYPE symphonet_switch_learned_macs gauge\n");
        for (BridgeStatus b : all) {
            sb.append("symphonet_switch_learned_macs{datapath=\"").append(b.datapathId()).append("\"} ")
                    .append(b.learnedMacs()).append('\n');
        }
        sb.append("# TYPE symphonet_switch_ring_gap gauge\n");
        for (BridgeStatus b : all) {
            sb.append("symphonet_switch_ring_gap{datapath=\"").append(b.datapathId()).append("\"} ")
                    .append(b.ringGap() == null ? 0 : 1).append('\n');
        }
        if (fabric != null) {
            FabricStatus f = fabric.get();
            sb.append("# TYPE symphonet_fabric_switches gauge\nsymphonet_fabric_switches ").append(f.switches().size()).append('\n');
            sb.append("# TYPE symphonet_fabric_links gauge\nsymphonet_fabric_links ").append(f.links().size()).append('\n');
            sb.append("# TYPE symphonet_fabric_fabrics gauge\nsymphonet_fabric_fabrics ").append(f.fabrics()).append('\n');
            sb.append("# TYPE symphonet_fabric_links_lost_total counter\nsymphonet_fabric_links_lost_total ")
                    .append(f.linksLost()).append('\n');
        }
        return sb.toString();
    }

    private static void reply(HttpExchange ex, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(200, bytes.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
