package org.symphonet.overlay.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.symphonet.collector.Collector;
import org.symphonet.collector.CollectorServer;
import org.symphonet.overlay.report.TokenFile;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code symphonet collector}: the overlay-wide status collector and its dashboard. */
@Command(name = "collector", description = {"Collect node reports and serve the overlay dashboard, JSON API and event stream.",
        "Nodes report to it with `report: {url, token-file}` in node.yaml."})
final class CollectorCommand implements Callable<Integer> {

    @Option(names = "--listen", defaultValue = "127.0.0.1:9420", paramLabel = "HOST:PORT",
            description = "Address to serve on (default ${DEFAULT-VALUE}); nodes and browsers connect here. "
                    + "Use 0.0.0.0:PORT to accept reports from other hosts.")
    String listen;

    @Option(names = "--token-file", required = true, paramLabel = "FILE",
            description = "File with the shared token nodes must present (one line, at least 16 characters).")
    Path tokenFile;

    @Option(names = "--max-nodes", defaultValue = "4096", description = "Nodes remembered at most (default ${DEFAULT-VALUE}).")
    int maxNodes;

    @Option(names = "--history", defaultValue = "1000", description = "Events kept (default ${DEFAULT-VALUE}).")
    int history;

    @Option(names = "--forget-after", defaultValue = "600", paramLabel = "SECONDS",
            description = "Forget a node this long after it went offline (default ${DEFAULT-VALUE}).")
    long forgetAfterSeconds;

    @Override
    public Integer call() throws Exception {
        InetSocketAddress address;
        String token;
        try {
            address = parseListen(listen);
            token = TokenFile.read(tokenFile);
            if (maxNodes < 1 || history < 1 || forgetAfterSeconds < 1) {
                throw new IllegalArgumentException("--max-nodes, --history and --forget-after must be at least 1");
            }
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("symphonet collector: " + e.getMessage());
            return 2;
        }
        Collector.Settings d = Collector.Settings.DEFAULT;
        Collector collector = new Collector(new Collector.Settings(maxNodes, Duration.ofSeconds(forgetAfterSeconds), history,
                d.queue(), d.publishEvery(), d.streamClients()), System::currentTimeMillis);
        CollectorServer server;
        try {
            server = CollectorServer.start(address, token, collector);
        } catch (IOException e) {
            collector.close();
            System.err.println("symphonet collector: cannot listen on " + listen + ": " + e.getMessage());
            return 1;
        }
        InetSocketAddress at = server.address();
        String host = at.getAddress().isAnyLocalAddress() ? "127.0.0.1" : at.getHostString();
        System.out.println("symphonet collector: dashboard on http://" + (host.contains(":") ? "[" + host + "]" : host)
                + ":" + at.getPort() + "/  (reports: POST /api/v1/report)");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            collector.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
        return 0;
    }

    /** {@code HOST:PORT}, {@code [V6]:PORT} or {@code :PORT} (all addresses). */
    static InetSocketAddress parseListen(String s) {
        int colon = s.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("--listen must be HOST:PORT, got '" + s + "'");
        }
        String host = s.substring(0, colon);
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--listen port must be a number, got '" + s.substring(colon + 1) + "'");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--listen port must be 0..65535, got " + port);
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        InetSocketAddress a = host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
        if (a.isUnresolved()) {
            throw new IllegalArgumentException("--listen host '" + host + "' does not resolve");
        }
        return a;
    }
}
