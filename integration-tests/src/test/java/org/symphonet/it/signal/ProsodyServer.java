package org.symphonet.it.signal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A private Prosody for one test: its own config, data directory, log and port on 127.0.0.1,
 * started as the {@code prosody} user (Prosody refuses root) and stopped by PID. Membership is a
 * shared roster group ({@code mod_groups}), which gives every member a mutual subscription with
 * every other without a subscribe handshake.
 */
final class ProsodyServer implements XmppServer {

    private final Path dir;
    private final String domain;
    private final int port;
    private final boolean tls;
    private Process process;

    private ProsodyServer(Path dir, String domain, int port, boolean tls) {
        this.dir = dir;
        this.domain = domain;
        this.port = port;
        this.tls = tls;
    }

    /**
     * @param accounts user -> password
     * @param group    the users that form the shared roster group (mutual subscriptions)
     */
    static ProsodyServer create(String domain, Map<String, String> accounts, List<String> group) throws Exception {
        return create(domain, accounts, group, null, null);
    }

    /**
     * With {@code certPem} and {@code keyPem} (PEM text), TLS is offered and required for clients;
     * without them there is no TLS at all.
     */
    static ProsodyServer create(String domain, Map<String, String> accounts, List<String> group, String certPem,
                                String keyPem) throws Exception {
        Path dir = Files.createTempDirectory("om-prosody-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        ProsodyServer s = new ProsodyServer(dir, domain, freePort(), certPem != null);
        if (certPem != null) {
            Files.writeString(dir.resolve("cert.pem"), certPem);
            Files.writeString(dir.resolve("key.pem"), keyPem);
        }
        Files.createDirectories(dir.resolve("data"));
        StringBuilder groups = new StringBuilder("[overlay]\n");
        for (String u : group) {
            groups.append(u).append('@').append(domain).append('\n');
        }
        Files.writeString(dir.resolve("groups.txt"), groups);
        Files.writeString(s.configFile(), s.config());
        run("chown", "-R", "prosody:prosody", dir.toString());
        for (Map.Entry<String, String> a : accounts.entrySet()) {
            run("prosodyctl", "--config", s.configFile().toString(), "register", a.getKey(), domain, a.getValue());
        }
        return s;
    }

    private String config() {
        return String.join("\n",
                "pidfile = \"" + dir.resolve("prosody.pid") + "\"",
                "data_path = \"" + dir.resolve("data") + "\"",
                "log = { info = \"" + dir.resolve("prosody.log") + "\" }",
                "daemonize = false",
                "interfaces = { \"127.0.0.1\" }",
                "local_interfaces = { \"127.0.0.1\" }",
                "c2s_ports = { " + port + " }",
                "c2s_direct_tls_ports = { }",
                "legacy_ssl_ports = { }",
                "s2s_ports = { }",
                "http_ports = { }",
                "https_ports = { }",
                "component_ports = { }",
                // Without certificates (test loopback) there is no TLS; SCRAM still hides the password.
                tls ? "ssl = { certificate = \"" + dir.resolve("cert.pem") + "\"; key = \"" + dir.resolve("key.pem")
                        + "\"; }" : "",
                "c2s_require_encryption = " + tls,
                "allow_unencrypted_plain_auth = " + !tls,
                "authentication = \"internal_hashed\"",
                "modules_enabled = { \"roster\"; \"saslauth\"; \"disco\"; \"ping\"; \"presence\"; \"groups\""
                        + (tls ? "; \"tls\"" : "") + " }",
                "modules_disabled = { \"s2s\"; \"offline\" }",
                "groups_file = \"" + dir.resolve("groups.txt") + "\"",
                "VirtualHost \"" + domain + "\"",
                "");
    }

    Path configFile() {
        return dir.resolve("prosody.cfg.lua");
    }

    @Override
    public String domain() {
        return domain;
    }

    @Override
    public int port() {
        return port;
    }

    long pid() {
        return process == null ? -1 : process.pid();
    }

    /** Starts Prosody and waits until its c2s port accepts connections. */
    @Override
    public void start() throws Exception {
        // setpriv execs in place, so the PID we hold is Prosody's own.
        process = new ProcessBuilder("setpriv", "--reuid=prosody", "--regid=prosody", "--init-groups",
                "prosody", "--config", configFile().toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout.txt").toFile())
                .start();
        if (!awaitListening(process, port, Duration.ofSeconds(15))) {
            stop();
            throw new IllegalStateException("prosody did not listen on " + port + ": " + logTail());
        }
    }

    /** True once 127.0.0.1:{@code port} accepts a connection; false if the process dies or time runs out. */
    static boolean awaitListening(Process process, int port, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                return false;
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return true;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        return false;
    }

    /** SIGTERM by PID, SIGKILL if it lingers. */
    @Override
    public void stop() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
        process = null;
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("prosody.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        try {
            stop();
            run("rm", "-rf", dir.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            System.err.println("cleaning up prosody in " + dir + ": " + e);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static void run(String... cmd) throws Exception {
        output(cmd);
    }

    /** Runs {@code cmd} and returns its output; fails when it fails. */
    static String output(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        }
        return out;
    }
}
