package org.symphonet.it.signal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A private ejabberd (Debian package) for one test: own config directory, Mnesia spool, logs and
 * node name; client port and Erlang distribution port both on 127.0.0.1, and no epmd
 * ({@code ERL_DIST_PORT}), so nothing outlives the test. Runs as the {@code ejabberd} user, which
 * makes {@code ejabberdctl} run the VM directly instead of through {@code su}. Mutual
 * subscriptions are roster items of type {@code both} (mod_admin_extra's add_rosteritem).
 */
public final class EjabberdServer implements XmppServer {

    private final Path dir;
    private final String domain;
    private final String ip;
    private final int port;
    private final int distPort;
    private final String node;
    /** Empty, or {@code ip netns exec NS}: every command of this server runs there. */
    private final List<String> inNamespace;
    private final Cluster cluster;
    private Process process;

    private EjabberdServer(Path dir, String domain, String ip, int port, int distPort, List<String> inNamespace,
                           Cluster cluster) {
        this.dir = dir;
        this.domain = domain;
        this.ip = ip;
        this.port = port;
        this.distPort = distPort;
        this.inNamespace = inNamespace;
        this.cluster = cluster;
        this.node = cluster == null ? "om-ejabberd-" + distPort + "@localhost" : cluster.node();
    }

    /**
     * Erlang distribution of one member of an ejabberd cluster: its node name ({@code name@host}),
     * the same cookie and distribution port on every member (no epmd: {@code ERL_DIST_PORT} makes
     * every node listen on, and dial, that one port), and the members' host names with their
     * addresses, resolved by Erlang's own inetrc so no system hosts file is touched.
     */
    public record Cluster(String node, int distPort, String cookie, Map<String, String> hosts) {
    }

    /** Creates, starts and populates the server on 127.0.0.1; it is running when this returns. */
    static EjabberdServer create(String domain, Map<String, String> accounts, List<String> group) throws Exception {
        return create(domain, accounts, group, "127.0.0.1", ProsodyServer.freePort(), List.of());
    }

    /**
     * The same inside a testbed network namespace (its full name), listening on {@code ip:port}
     * there; the Erlang distribution stays on that namespace's loopback.
     */
    public static EjabberdServer createIn(String namespace, String ip, int port, String domain, Map<String, String> accounts,
                                          List<String> group) throws Exception {
        return create(domain, accounts, group, ip, port, List.of("ip", "netns", "exec", namespace));
    }

    private static EjabberdServer create(String domain, Map<String, String> accounts, List<String> group, String ip, int port,
                                         List<String> inNamespace) throws Exception {
        EjabberdServer s = prepare(domain, ip, port, inNamespace, null);
        s.start();
        try {
            s.register(accounts);
            for (String a : group) {
                for (String b : group) {
                    if (!a.equals(b)) {
                        s.ctl("add_rosteritem", a, domain, b, domain, b, "overlay", "both");
                    }
                }
            }
        } catch (Exception | Error e) {
            s.close();
            throw e;
        }
        return s;
    }

    /**
     * The first member of a cluster, in a namespace, started with the accounts and with
     * {@code group} as a mod_shared_roster group whose members all see each other (mutual
     * subscriptions, stored in the cluster's Mnesia so every member serves them).
     */
    public static EjabberdServer clusterFirst(String namespace, String ip, int port, String domain, Cluster cluster,
                                              Map<String, String> accounts, List<String> group) throws Exception {
        EjabberdServer s = prepare(domain, ip, port, List.of("ip", "netns", "exec", namespace), cluster);
        s.start();
        try {
            s.register(accounts);
            s.ctl("srg_create", "overlay", domain, "overlay", "overlay members", "overlay");
            for (String a : group) {
                s.ctl("srg_user_add", a, domain, "overlay", domain);
            }
        } catch (Exception | Error e) {
            s.close();
            throw e;
        }
        return s;
    }

    /** Another member: started empty, then joined to {@code first}'s cluster (ejabberdctl join_cluster). */
    public static EjabberdServer clusterJoin(String namespace, String ip, int port, String domain, Cluster cluster,
                                             EjabberdServer first) throws Exception {
        EjabberdServer s = prepare(domain, ip, port, List.of("ip", "netns", "exec", namespace), cluster);
        s.start();
        try {
            s.ctl("join_cluster", first.node);
            String nodes = ProsodyServer.output(s.ejabberdctl("list_cluster").toArray(String[]::new));
            if (!nodes.contains(first.node) || !nodes.contains(s.node)) {
                throw new IllegalStateException("cluster not joined: list_cluster says " + nodes);
            }
        } catch (Exception | Error e) {
            s.close();
            throw e;
        }
        return s;
    }

    private static EjabberdServer prepare(String domain, String ip, int port, List<String> inNamespace, Cluster cluster)
            throws Exception {
        Path dir = Files.createTempDirectory("om-ejabberd-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        EjabberdServer s = new EjabberdServer(dir, domain, ip, port,
                cluster == null ? ProsodyServer.freePort() : cluster.distPort(), inNamespace, cluster);
        Files.createDirectories(dir.resolve("logs"));
        Files.createDirectories(dir.resolve("spool"));
        Files.writeString(dir.resolve("ejabberd.yml"), s.config());
        Files.writeString(dir.resolve("ejabberdctl.cfg"), String.join("\n",
                "ERL_OPTIONS=\"-env ERL_CRASH_DUMP_BYTES 0\"",
                "INET_DIST_INTERFACE=" + (cluster == null ? "127.0.0.1" : ip),
                "ERL_DIST_PORT=" + s.distPort,
                "EJABBERD_PID_PATH=" + dir.resolve("ejabberd.pid"),
                ""));
        StringBuilder inetrc = new StringBuilder("{lookup,[file,native]}.\n{host,{127,0,0,1}, [\"localhost\"]}.\n");
        if (cluster != null) {
            cluster.hosts().forEach((name, addr) -> inetrc.append("{host,{").append(addr.replace('.', ','))
                    .append("}, [\"").append(name).append("\"]}.\n"));
            // The cookie authenticates the members to each other; ejabberdctl runs with HOME=dir.
            Files.writeString(dir.resolve(".erlang.cookie"), cluster.cookie());
        }
        Files.writeString(dir.resolve("inetrc"), inetrc.toString());
        ProsodyServer.run("chown", "-R", "ejabberd:ejabberd", dir.toString());
        if (cluster != null) {
            ProsodyServer.run("chmod", "400", dir.resolve(".erlang.cookie").toString());
        }
        return s;
    }

    private void register(Map<String, String> accounts) throws Exception {
        for (Map.Entry<String, String> a : accounts.entrySet()) {
            ctl("register", a.getKey(), domain, a.getValue());
        }
    }

    public String node() {
        return node;
    }

    private String config() {
        return String.join("\n",
                "hosts:",
                "  - " + domain,
                "loglevel: info",
                "certfiles: []",
                "listen:",
                "  -",
                "    port: " + port,
                "    ip: \"" + ip + "\"",
                "    module: ejabberd_c2s",
                // Test loopback only: no certificates, so no STARTTLS.
                "    starttls: false",
                "    access: c2s",
                "auth_method: internal",
                "acl:",
                "  local:",
                "    user_regexp: \"\"",
                "access_rules:",
                "  c2s:",
                "    allow: all",
                "  local:",
                "    allow: local",
                "modules:",
                "  mod_roster: {}",
                "  mod_ping: {}",
                "  mod_disco: {}",
                "  mod_admin_extra: {}",
                "  mod_shared_roster: {}",
                "");
    }

    private List<String> ejabberdctl(String... args) {
        List<String> cmd = new ArrayList<>(inNamespace);
        cmd.addAll(List.of("setpriv", "--reuid=ejabberd", "--regid=ejabberd", "--init-groups",
                "env", "HOME=" + dir, "ejabberdctl", "--config-dir", dir.toString(),
                "--config", dir.resolve("ejabberd.yml").toString(), "--logs", dir.resolve("logs").toString(),
                "--spool", dir.resolve("spool").toString(), "--node", node));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private void ctl(String... args) throws Exception {
        ProsodyServer.run(ejabberdctl(args).toArray(String[]::new));
    }

    @Override
    public String domain() {
        return domain;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public void start() throws Exception {
        process = new ProcessBuilder(ejabberdctl("foreground")).redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout.txt").toFile()).start();
        if (!(inNamespace.isEmpty() ? ProsodyServer.awaitListening(process, port, Duration.ofSeconds(60))
                : awaitListeningInNamespace(Duration.ofSeconds(60)))) {
            stop();
            throw new IllegalStateException("ejabberd did not listen on " + port + ": " + logTail());
        }
    }

    /** The JVM cannot reach into the namespace: a shell there probes the port. */
    private boolean awaitListeningInNamespace(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> probe = new ArrayList<>(inNamespace);
        probe.addAll(List.of("bash", "-c", "exec 3<>/dev/tcp/" + ip + "/" + port));
        while (System.nanoTime() < deadline && process.isAlive()) {
            Process p = new ProcessBuilder(probe).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0) {
                return true;
            }
            p.destroyForcibly();
            Thread.sleep(200);
        }
        return false;
    }

    /**
     * SIGTERM to the Erlang VM and then the wrapper shell, each by PID (the VM is a child of the
     * ejabberdctl shell); SIGKILL for anything that lingers.
     */
    @Override
    public void stop() throws InterruptedException {
        if (process == null) {
            return;
        }
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        for (ProcessHandle h : tree) {
            if (h.info().command().orElse("").endsWith("beam.smp")) {
                h.destroy();
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline && tree.stream().anyMatch(ProcessHandle::isAlive)) {
            Thread.sleep(100);
            for (ProcessHandle h : tree) {
                if (h.isAlive() && !h.info().command().orElse("").endsWith("beam.smp")
                        && tree.stream().noneMatch(x -> x.isAlive() && x.info().command().orElse("").endsWith("beam.smp"))) {
                    h.destroy();
                }
            }
        }
        for (ProcessHandle h : tree) {
            if (h.isAlive()) {
                h.destroyForcibly();
            }
        }
        process.waitFor(5, TimeUnit.SECONDS);
        process = null;
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("logs").resolve("ejabberd.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        try {
            stop();
            ProsodyServer.run("rm", "-rf", dir.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            System.err.println("cleaning up ejabberd in " + dir + ": " + e);
        }
    }
}
