package org.symphonet.ofcontroller.cli;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.symphonet.ofcontroller.ControllerSettings;
import org.symphonet.ofcontroller.OfController;
import org.symphonet.ofcontroller.discovery.FabricDiscovery;
import org.symphonet.ofcontroller.metrics.StatusServer;
import org.symphonet.ofcontroller.session.ListenAddress;
import org.symphonet.ofcontroller.view.StaticTopologyFile;
import org.symphonet.ofcontroller.view.TopologyView;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The standalone controller: bounded-flood switching for OpenFlow testbeds, no tunnels; a topology file or discovery. */
@Command(name = "ofcontroller", mixinStandardHelpOptions = true, version = "symphonet ofcontroller 0.1.0",
        description = {
                "OpenFlow 1.3 controller with learning and loop-free flooding over a mesh of switches with cycles:"
                        + " no spanning tree, every link carries traffic.",
                "",
                "Without --topology it discovers the fabric itself: it sends a probe out of every port of every"
                        + " connected switch each second; a probe that arrives at another switch proves a link (peer port),"
                        + " a port that hears none for 2 s is a leaf port (hosts). Until a port's role is known it"
                        + " floods nothing, so a fabric still being discovered never loops a broadcast. Node IDs derive"
                        + " from datapath IDs; switches joined by links form one fabric, separate fabrics stay separate."
                        + " Links and switches that come and go are followed (port status, 3.5 s probe timeout).",
                "",
                "With --topology the file decides (fixed node IDs and peer ports, no probes); switches not in it"
                        + " are plain learning switches.",
                ""})
public final class ControllerMain implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(ControllerMain.class);

    @Option(names = "--listen", paramLabel = "ADDR", split = ",", defaultValue = "tcp:127.0.0.1:6653",
            description = "Where switches connect: tcp:HOST:PORT or unix:/path (repeat or comma-separate for several). Default: ${DEFAULT-VALUE}")
    List<String> listen;

    @Option(names = "--topology", paramLabel = "FILE",
            description = "YAML file: each bridge's datapath ID, node ID and peer ports. Without it the fabric is discovered (see above).")
    Path topology;

    @Option(names = "--status", paramLabel = "HOST:PORT",
            description = "Serve /status (JSON) and /metrics (Prometheus) here, e.g. 127.0.0.1:9101. Off by default.")
    String status;

    @Option(names = "--mac-idle-timeout", paramLabel = "SECONDS", defaultValue = "300",
            description = "Forget a MAC whose flows carried nothing for this long. Default: ${DEFAULT-VALUE}")
    int macIdleTimeout;

    @Option(names = "--mac-table-capacity", paramLabel = "N", defaultValue = "100000",
            description = "Most MACs learned per bridge; a full table forgets the MAC longest without a flow. Default: ${DEFAULT-VALUE}")
    int macTableCapacity;

    @Option(names = "--frb-hop-limit", paramLabel = "N", defaultValue = "1024",
            description = "Drop FRBs that crossed this many bridges. Default: ${DEFAULT-VALUE}")
    int frbHopLimit;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
            description = "Event-loop threads (0: one per core). Default: ${DEFAULT-VALUE}")
    int threads;

    @Override
    public Integer call() throws Exception {
        ControllerSettings settings;
        try {
            settings = new ControllerSettings(macIdleTimeout, macTableCapacity, frbHopLimit, 5);
        } catch (IllegalArgumentException e) {
            System.err.println("ofcontroller: " + e.getMessage());
            return 2;
        }
        TopologyView view;
        FabricDiscovery discovery = null;
        if (topology != null) {
            try {
                view = StaticTopologyFile.load(topology);
            } catch (StaticTopologyFile.TopologyFileException e) {
                System.err.println("ofcontroller: " + e.getMessage());
                return 2;
            }
        } else {
            discovery = new FabricDiscovery(FabricDiscovery.Settings.defaults());
            discovery.start(250);
            view = discovery;
            log.info("no topology file: discovering the fabric (probes on every port of every switch)");
        }
        List<ListenAddress> addresses;
        try {
            addresses = listen.stream().map(ListenAddress::parse).toList();
        } catch (IllegalArgumentException e) {
            System.err.println("ofcontroller: --listen: " + e.getMessage());
            return 2;
        }
        int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        OfController controller = new OfController(view, settings, n);
        StatusServer statusServer = null;
        CountDownLatch stop = new CountDownLatch(1);
        try {
            for (ListenAddress a : addresses) {
                controller.listen(a);
            }
            if (status != null) {
                ListenAddress s = ListenAddress.parse(status);
                statusServer = new StatusServer(new InetSocketAddress(s.host(), s.port()), controller::status,
                        discovery == null ? null : discovery::status);
                log.info("status on http://{}:{}/status, /metrics{}", s.host(), statusServer.address().getPort(),
                        discovery == null ? "" : " and /fabric");
            }
            StatusServer ss = statusServer;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                if (ss != null) {
                    ss.close();
                }
                controller.close();
                stop.countDown();
            }, "shutdown"));
            stop.await();
            return 0;
        } catch (Exception e) {
            System.err.println("ofcontroller: cannot start: " + e.getMessage());
            controller.close();
            return 1;
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new ControllerMain()).execute(args));
    }
}
