package org.symphonet.it.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;
import org.symphonet.it.testbed.Requirements;
import org.symphonet.it.testbed.Testbed;
import org.symphonet.it.testbed.Wait;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The Debian package on this machine: dpkg -i installs it, the node unit's ExecStart (run the way
 * systemd would, since systemd is not PID 1 here, inside a namespace with its own OVS) brings a
 * node up with its identity in the state directory, the collector unit's ExecStart serves as an
 * unprivileged user with its token as a credential, the standalone controller unit's ExecStart
 * serves its discovered fabric as an unprivileged user, and dpkg --purge leaves nothing behind.
 */
class DebianPackageTest {

    private static final List<Path> INSTALLED = List.of(Path.of("/usr/bin/symphonet"), Path.of("/usr/share/symphonet/symphonet.jar"),
            Path.of("/lib/systemd/system/symphonet-node.service"), Path.of("/lib/systemd/system/symphonet-collector.service"),
            Path.of("/etc/symphonet/node.yaml"), Path.of("/etc/default/symphonet-collector"), Path.of("/etc/symphonet/collector.token"),
            Path.of("/var/lib/symphonet"), Path.of("/usr/share/doc/symphonet/README.md"),
            Path.of("/lib/systemd/system/symphonet-controller.service"), Path.of("/etc/default/symphonet-controller"));

    @Test
    void installRunTheUnitsAndPurge() throws Exception {
        Requirements.require("dpkg", "ovs-vswitchd", "java", "curl", "setpriv");
        Path deb = newestDeb();
        if (run("dpkg-query", "-W", "-f=${Status}", "symphonet").stdout().contains("install ok installed")) {
            String msg = "symphonet is already installed on this machine; not touching it";
            if (Requirements.inCi()) {
                throw new AssertionError(msg);
            }
            throw new TestAbortedException(msg);
        }
        Testbed tb = Testbed.start("zc" + Integer.toString(new Random().nextInt(36 * 36 * 36), 36));
        try {
            Testbed.Result install = run("dpkg", "-i", deb.toString());
            assertTrue(install.ok(), "dpkg -i: " + install.stdout() + install.stderr());
            for (Path p : INSTALLED) {
                assertTrue(Files.exists(p), "installed: " + p);
            }
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of("/var/lib/symphonet"))));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of("/etc/symphonet/collector.token"))));
            assertTrue(Files.readString(Path.of("/etc/symphonet/collector.token")).length() >= 32, "a generated token");
            assertTrue(run("/usr/bin/symphonet", "version").stdout().startsWith("symphonet "), "the launcher runs");
            if (Files.isExecutable(Path.of("/usr/bin/systemd-analyze"))) {
                Testbed.Result v = run("systemd-analyze", "verify", "/lib/systemd/system/symphonet-node.service",
                        "/lib/systemd/system/symphonet-collector.service", "/lib/systemd/system/symphonet-controller.service");
                assertTrue(v.ok(), "systemd-analyze verify: " + v.stdout() + v.stderr());
            }

            tb.must("ns", "h0");
            tb.must("ovs_start", "h0");
            nodeUnitStartsANode(tb);
            collectorUnitServes(tb);
            controllerUnitServes(tb);
        } finally {
            tb.run("kill", "node");
            tb.run("kill", "collector");
            tb.run("kill", "controller");
            Testbed.Result purge = run("dpkg", "--purge", "symphonet");
            tb.close();
            assertTrue(purge.ok(), "dpkg --purge: " + purge.stdout() + purge.stderr());
        }
        for (Path p : INSTALLED) {
            assertFalse(Files.exists(p), "purged: " + p);
        }
        assertFalse(Files.exists(Path.of("/etc/symphonet")), "no /etc/symphonet left");
        assertFalse(run("dpkg-query", "-W", "-f=${Status}", "symphonet").stdout().contains("installed"));
    }

    /** The node unit as systemd would run it: its environment, its state directory, its ExecStart. */
    private void nodeUnitStartsANode(Testbed tb) throws Exception {
        SystemdUnit unit = SystemdUnit.read(Path.of("/lib/systemd/system/symphonet-node.service"));
        Map<String, String> env = unit.environment();
        Path state = Path.of("/var/lib", unit.one("StateDirectory"));
        Files.createDirectories(state);
        assertEquals(Path.of("/var/lib/symphonet"), state);
        String ovs = "/run/symphonet-tb/" + tb.prefix() + "/ovs-h0";
        List<String> cmd = new ArrayList<>(List.of("node", "h0", "env", "-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin",
                // The testbed's private OVS instead of the host's: the only difference to a real start.
                "OVS_RUNDIR=" + ovs, "OVS_DBDIR=" + ovs, "OVS_LOGDIR=" + ovs));
        env.forEach((k, v) -> cmd.add(k + "=" + v));
        cmd.addAll(unit.execStart(env));
        assertEquals(List.of("/usr/bin/symphonet", "node", "--config", "/etc/symphonet/node.yaml"), unit.execStart(env));
        tb.must("spawn", cmd.toArray(String[]::new));
        JsonNode[] status = new JsonNode[1];
        Wait.until(Duration.ofSeconds(60), () -> "the packaged node to serve its status; log: " + log(tb, "node"), () -> {
            status[0] = tb.nodeStatus(0);
            return status[0] != null;
        });
        String id = status[0].path("node").asText();
        assertEquals(id, Files.readString(state.resolve("node-id")).strip(), "its identity lives in the state directory");
        // The launcher made the class-data-sharing archive for this jar and JVM, and the node maps it.
        Path jsa = state.resolve("node.jsa");
        assertTrue(Files.size(jsa) > 0, "class-data-sharing archive made: " + jsa);
        assertTrue(Files.readString(state.resolve("node.jsa.jvm")).contains("libjvm"), "the JVM the archive was made with is noted");
        assertTrue(mapped(jsa), "the node maps " + jsa);
        assertEquals("lan1", status[0].path("overlays").get(0).path("id").asText(), "it runs the sample node.yaml");
        assertTrue(tb.inNs("h0", "curl", "-sf", "http://127.0.0.1:9410/metrics").stdout().contains("symphonet_build_info"));
        assertTrue(tb.run("kill", "node").ok());
        Wait.until(Duration.ofSeconds(10), "the node to stop on SIGTERM", () -> !log(tb, "node").isEmpty()
                && tb.nodeStatus(0) == null);
    }

    /** Whether any process on this machine maps FILE (only the installed node maps the package's archive). */
    private static boolean mapped(Path file) throws IOException {
        try (var procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).anyMatch(p -> {
                try {
                    return Files.readString(p.resolve("maps")).contains(file.toString());
                } catch (IOException | RuntimeException e) {
                    return false; // ended meanwhile, or not ours to read
                }
            });
        }
    }

    /** The collector unit: LISTEN from its environment, the token as a systemd credential, an unprivileged user. */
    private void collectorUnitServes(Testbed tb) throws Exception {
        SystemdUnit unit = SystemdUnit.read(Path.of("/lib/systemd/system/symphonet-collector.service"));
        assertEquals("yes", unit.one("DynamicUser"));
        Path creds = Files.createTempDirectory("symphonet-creds");
        try {
            String credential = unit.one("LoadCredential");
            String name = credential.substring(0, credential.indexOf(':'));
            Path token = creds.resolve(name);
            Files.copy(Path.of(credential.substring(credential.indexOf(':') + 1)), token);
            Files.setPosixFilePermissions(creds, PosixFilePermissions.fromString("rwxr-xr-x"));
            run("chown", "nobody", token.toString());
            Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("r--------"));
            Map<String, String> env = unit.environment();
            env.put("CREDENTIALS_DIRECTORY", creds.toString());
            List<String> cmd = new ArrayList<>(List.of("collector", "h0", "setpriv", "--reuid=nobody", "--regid=nogroup",
                    "--clear-groups", "env", "-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/nonexistent"));
            env.forEach((k, v) -> cmd.add(k + "=" + v));
            cmd.addAll(unit.execStart(env));
            tb.must("spawn", cmd.toArray(String[]::new));
            String listen = env.get("LISTEN");
            Wait.until(Duration.ofSeconds(30), () -> "the packaged collector on " + listen + "; log: " + log(tb, "collector"),
                    () -> tb.inNs("h0", "curl", "-sf", "http://" + listen + "/healthz").ok());
            assertTrue(tb.inNs("h0", "curl", "-sf", "http://" + listen + "/").stdout().contains("Symphonet"), "the dashboard");
            assertTrue(tb.run("kill", "collector").ok());
        } finally {
            try (Stream<Path> s = Files.list(creds)) {
                for (Path p : s.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(creds);
        }
    }

    /** The standalone controller unit: no topology file by default, so it discovers; /fabric and /metrics say so. */
    private void controllerUnitServes(Testbed tb) throws Exception {
        Testbed.Result help = run("/usr/bin/symphonet", "controller", "--help");
        assertTrue(help.stdout().contains("Without --topology it discovers the fabric"), "controller --help: " + help.stdout());
        SystemdUnit unit = SystemdUnit.read(Path.of("/lib/systemd/system/symphonet-controller.service"));
        assertEquals("yes", unit.one("DynamicUser"));
        Map<String, String> env = unit.environment();
        List<String> argv = unit.execStart(env);
        assertEquals(List.of("/usr/bin/symphonet", "controller", "--listen", "tcp:127.0.0.1:6653", "--status", "127.0.0.1:9101"), argv);
        List<String> cmd = new ArrayList<>(List.of("controller", "h0", "setpriv", "--reuid=nobody", "--regid=nogroup",
                "--clear-groups", "env", "-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/nonexistent"));
        env.forEach((k, v) -> cmd.add(k + "=" + v));
        cmd.addAll(argv);
        tb.must("spawn", cmd.toArray(String[]::new));
        String status = env.get("STATUS");
        Wait.until(Duration.ofSeconds(30), () -> "the packaged controller's /fabric on " + status + "; log: " + log(tb, "controller"),
                () -> tb.inNs("h0", "curl", "-sf", "http://" + status + "/fabric").stdout().contains("\"links\""));
        assertTrue(tb.inNs("h0", "curl", "-sf", "http://" + status + "/metrics").stdout().contains("symphonet_fabric_switches"));
        assertTrue(tb.run("kill", "controller").ok());
    }

    private static String log(Testbed tb, String name) {
        try {
            return Files.readString(Path.of("/run/symphonet-tb", tb.prefix(), name + ".log"));
        } catch (IOException e) {
            return "";
        }
    }

    private static Path newestDeb() throws IOException {
        Path dir = Testbed.repoRoot().resolve("overlay-manager/target");
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches("symphonet_.*_all\\.deb"))
                    .max((a, b) -> Long.compare(a.toFile().lastModified(), b.toFile().lastModified()))
                    .orElseThrow(() -> new AssertionError("build the package first (mvn package): no .deb in " + dir));
        }
    }

    private static Testbed.Result run(String program, String... args) {
        return Testbed.exec(Duration.ofMinutes(2), program, List.of(args));
    }
}
