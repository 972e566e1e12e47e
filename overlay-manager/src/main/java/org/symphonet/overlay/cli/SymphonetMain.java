package org.symphonet.overlay.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.symphonet.ofcontroller.cli.ControllerMain;
import org.symphonet.overlay.config.ConfigException;
import org.symphonet.overlay.config.ConfigLoader;
import org.symphonet.overlay.config.NodeConfig;
import org.symphonet.overlay.node.Node;
import org.symphonet.overlay.status.NodeStatus;
import org.symphonet.overlay.status.StatusTable;

import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code symphonet} command: run a node, look at one, run the collector or a standalone controller. */
@Command(name = "symphonet", mixinStandardHelpOptions = true, versionProvider = SymphonetMain.Version.class,
        description = "Self-organizing layer-2 overlay VPN beside Open vSwitch.",
        subcommands = {SymphonetMain.NodeCommand.class, SymphonetMain.StatusCommand.class, CollectorCommand.class,
                SymphonetMain.VersionCommand.class})
public final class SymphonetMain implements Runnable {

    static final String VERSION = "0.1.0";

    @Override
    public void run() {
        commandLine().usage(System.out);
    }

    /**
     * The command with all its subcommands. {@code controller} is the standalone OpenFlow
     * controller (the same options as {@code ofcontroller.jar}), added here because its class
     * names itself {@code ofcontroller}.
     */
    static CommandLine commandLine() {
        return new CommandLine(new SymphonetMain())
                .addSubcommand("controller", new CommandLine(new ControllerMain()).setCommandName("controller"));
    }

    /**
     * {@code symphonet node ...} alone: the full command line builds picocli's model of every
     * subcommand by reflection (the standalone controller's options among them), about a fifth of
     * the main thread's sampled start-up time in a node's Flight Recorder profile.
     */
    static CommandLine nodeCommandLine() {
        return new CommandLine(new NodeCommand()).setCommandName("symphonet node");
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"symphonet " + VERSION};
        }
    }

    @Command(name = "node", description = "Run a node with the given configuration until stopped.")
    static final class NodeCommand implements Callable<Integer> {
        @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "node.yaml")
        Path config;

        @Override
        public Integer call() throws Exception {
            NodeConfig cfg;
            try {
                cfg = new ConfigLoader().load(config);
            } catch (ConfigException e) {
                System.err.println("symphonet: " + e.getMessage());
                return 2;
            }
            Node node = new Node(cfg, VERSION);
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                node.close();
                stopped.countDown();
            }, "shutdown"));
            try {
                node.start();
            } catch (Exception e) {
                System.err.println("symphonet: node failed to start: " + e.getMessage());
                node.close();
                return 1;
            }
            stopped.await();
            return 0;
        }
    }

    @Command(name = "status", description = "Show a running node's overlays, peers and links.")
    static final class StatusCommand implements Callable<Integer> {
        @Option(names = {"-p", "--port"}, defaultValue = "9410", description = "The node's status port (default ${DEFAULT-VALUE}).")
        int port;

        @Option(names = "--json", description = "Print the raw JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            String body;
            try {
                HttpResponse<String> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build().send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/status")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                body = r.body();
            } catch (IOException e) {
                System.err.println("symphonet: no node answers on 127.0.0.1:" + port + " (" + e.getMessage() + ")");
                return 1;
            }
            if (json) {
                System.out.println(body);
                return 0;
            }
            System.out.print(StatusTable.render(new ObjectMapper().readValue(body, NodeStatus.class)));
            return 0;
        }
    }

    @Command(name = "version", description = "Print the version.")
    static final class VersionCommand implements Runnable {
        @Override
        public void run() {
            System.out.println("symphonet " + VERSION);
        }
    }

    /**
     * The configuration file of {@code symphonet node --config FILE} (also {@code -c FILE},
     * {@code --config=FILE}), the one form a service manager or a testbed starts a node with; null
     * for anything else, which picocli parses (help, errors, usage). Read by hand because picocli
     * builds its model of even the node command alone by reflection and annotation proxies: 165
     * classes loaded and 0.01-0.04 s of the main thread's CPU per node start (thread CPU probes of
     * one node on a 3-node testbed), and tens of nodes starting together on a small machine wait
     * for each other's start-up CPU (issue 16).
     */
    static Path plainNodeConfig(String[] args) {
        if (args.length == 3 && "node".equals(args[0]) && ("--config".equals(args[1]) || "-c".equals(args[1]))) {
            return plainPath(args[2]);
        }
        if (args.length == 2 && "node".equals(args[0]) && args[1].startsWith("--config=")) {
            return plainPath(args[1].substring("--config=".length()));
        }
        return null;
    }

    /** Empty or option-like values go to picocli, which explains them. */
    private static Path plainPath(String value) {
        if (value.isEmpty() || value.startsWith("-")) {
            return null;
        }
        try {
            return Path.of(value);
        } catch (java.nio.file.InvalidPathException e) {
            return null;
        }
    }

    public static void main(String[] args) throws Exception {
        org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
        org.slf4j.bridge.SLF4JBridgeHandler.install();
        Path config = plainNodeConfig(args);
        if (config != null) {
            NodeCommand command = new NodeCommand();
            command.config = config;
            int code = command.call();
            if (code != 0) {
                System.exit(code);
            }
            return;
        }
        boolean node = args.length > 0 && "node".equals(args[0]);
        int code = node ? nodeCommandLine().execute(java.util.Arrays.copyOfRange(args, 1, args.length))
                : commandLine().execute(args);
        if (code != 0 || !node) {
            System.exit(code);
        }
    }

}
