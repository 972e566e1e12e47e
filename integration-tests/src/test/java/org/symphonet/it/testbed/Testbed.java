package org.symphonet.it.testbed;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteException;
import org.apache.commons.exec.ExecuteWatchdog;
import org.apache.commons.exec.PumpStreamHandler;

/**
 * Java face of {@code ovs-scripts/testbed.sh}: the same bash functions the demo and the benchmarks
 * use, so a testbed a test builds is the one a human can rebuild by hand. One instance owns one run
 * (one name prefix); {@link #close()} tears everything down, and a run whose JVM died is reaped by
 * the next {@code init}.
 */
public final class Testbed implements AutoCloseable {

    /** What a command printed and how it ended. */
    public record Result(int exitCode, String stdout, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    private final Path script;
    private final String prefix;
    private boolean closed;

    private Testbed(Path script, String prefix) {
        this.script = script;
        this.prefix = prefix;
    }

    /** Starts a run named {@code prefix}, owned by this JVM. */
    public static Testbed start(String prefix) {
        Testbed tb = new Testbed(repoRoot().resolve("ovs-scripts/testbed.sh"), prefix);
        tb.must("init", Long.toString(ProcessHandle.current().pid()));
        return tb;
    }

    /** System property that names a run's namespace prefix (parallel runs on one machine need distinct ones). */
    public static final String PREFIX_PROPERTY = "symphonet.testbed.prefix";

    /**
     * The prefix for a run: the {@value #PREFIX_PROPERTY} system property if set, else {@code base}
     * plus a random suffix. At most 8 lowercase letters and digits, so namespace and interface names stay short.
     */
    public static String prefixOr(String base) {
        String p = System.getProperty(PREFIX_PROPERTY);
        if (p == null || p.isBlank()) {
            p = base + Integer.toString(new java.util.Random().nextInt(36 * 36 * 36), 36);
        }
        if (!p.matches("[a-z][a-z0-9]{0,7}")) {
            throw new IllegalArgumentException("testbed prefix must be 1-8 lowercase letters and digits starting with a"
                    + " letter, got '" + p + "' (" + PREFIX_PROPERTY + ")");
        }
        return p;
    }

    /** The repository checkout: SYMPHONET_REPO (set by the build) or the nearest parent with ovs-scripts/. */
    public static Path repoRoot() {
        String env = System.getenv("SYMPHONET_REPO");
        if (env != null && Files.isDirectory(Path.of(env, "ovs-scripts"))) {
            return Path.of(env);
        }
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("ovs-scripts"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("cannot find the repository (no ovs-scripts/ above " + Path.of("").toAbsolutePath() + ")");
        }
        return p;
    }

    public String prefix() {
        return prefix;
    }

    /** The full namespace name of a short name. */
    public String ns(String name) {
        return prefix + "-" + name;
    }

    /** Runs a testbed function, e.g. {@code run("exec", "l1", "ping", "-c1", "10.0.0.2")}. */
    public Result run(String function, String... args) {
        return run(Duration.ofMinutes(2), function, args);
    }

    public Result run(Duration timeout, String function, String... args) {
        List<String> argv = new ArrayList<>();
        argv.add(prefix);
        argv.add(function);
        argv.addAll(List.of(args));
        return exec(timeout, script.toString(), argv);
    }

    /** Like {@link #run} but throws with the command's output when it fails. */
    public String must(String function, String... args) {
        Result r = run(function, args);
        if (!r.ok()) {
            throw new IllegalStateException("testbed " + function + " " + String.join(" ", args) + " failed ("
                    + r.exitCode() + "): " + r.stderr() + r.stdout());
        }
        return r.stdout();
    }

    /** Runs a command inside the namespace of {@code name}. */
    public Result inNs(String name, String... command) {
        return run("exec", prepend(name, command));
    }

    public Result inNs(Duration timeout, String name, String... command) {
        return run(timeout, "exec", prepend(name, command));
    }

    /** Host {@code h<host>}'s node status (its loopback /status JSON), or null while it does not answer. */
    public com.fasterxml.jackson.databind.JsonNode nodeStatus(int host) {
        Result r = inNs(Duration.ofSeconds(10), "h" + host, "curl", "-s", "--max-time", "3", "http://127.0.0.1:9410/status");
        if (!r.ok() || r.stdout().isBlank()) {
            return null;
        }
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.stdout());
        } catch (IOException e) {
            return null;
        }
    }

    public static Result exec(Duration timeout, String program, List<String> args) {
        CommandLine cl = new CommandLine(program);
        for (String a : args) {
            cl.addArgument(a, false);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        DefaultExecutor ex = DefaultExecutor.builder().get();
        PumpStreamHandler pumps = new PumpStreamHandler(out, err);
        // A background child that inherited our pipes (a daemon the command started) would keep
        // them open forever; stop reading a few seconds after the command itself has ended.
        pumps.setStopTimeout(Duration.ofSeconds(5));
        ex.setStreamHandler(pumps);
        ex.setWatchdog(ExecuteWatchdog.builder().setTimeout(timeout).get());
        ex.setExitValues(null);
        int code;
        try {
            code = ex.execute(cl);
        } catch (ExecuteException e) {
            code = e.getExitValue();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + program + ": " + e.getMessage(), e);
        }
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String[] prepend(String first, String[] rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            long start = System.nanoTime();
            run("down");
            // Printed for every class: the suite's time budget is tight and teardown is part of it.
            System.out.printf("testbed %s down in %.1f s%n", prefix(), (System.nanoTime() - start) / 1e9);
        }
    }
}
