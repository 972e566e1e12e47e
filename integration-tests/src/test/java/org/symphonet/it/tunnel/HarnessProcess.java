package org.symphonet.it.tunnel;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.symphonet.it.testbed.Testbed;

/**
 * One tunnel-agent harness JVM ({@code org.symphonet.tunnel.harness.HarnessMain})
 * running inside a host namespace, driven over its stdin/stdout. Its PID is added
 * to the testbed's record, so a test JVM that dies leaves it to the next reaping;
 * and it exits on its own when its stdin closes.
 */
final class HarnessProcess implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HarnessProcess.class);

    private final String name;
    private final Process process;
    private final Writer stdin;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> transcript = java.util.Collections.synchronizedList(new ArrayList<>());

    private HarnessProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(this::pump, "harness-out-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    static HarnessProcess start(Testbed tb, String name, String ns, List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add("ip");
        cmd.add("netns");
        cmd.add("exec");
        cmd.add(tb.ns(ns));
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("-Xmx256m");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-cp");
        cmd.add(childClassPath());
        cmd.add("org.symphonet.tunnel.harness.HarnessMain");
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        // "ip netns exec" execs the command, so this PID is the harness JVM itself.
        Files.writeString(runDir(tb).resolve("pids"), p.pid() + " " + name + " " + ns + "\n",
                StandardOpenOption.APPEND);
        return new HarnessProcess(name, p);
    }

    static Path runDir(Testbed tb) {
        return Path.of("/run/symphonet-tb", tb.prefix());
    }

    /** Surefire hides the test class path behind a manifest jar; it publishes the real one here. */
    private static String childClassPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

    private void pump() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                transcript.add(line);
                LOG.info("[{}] {}", name, line);
                lines.add(line);
            }
        } catch (IOException e) {
            // process gone
        }
    }

    /** The next protocol line starting with {@code keyword}, skipping log output. */
    String await(String keyword, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
            if (line == null) {
                throw new AssertionError(name + ": no " + keyword + " line within " + timeout
                        + "; output so far:\n" + String.join("\n", transcript));
            }
            if (line.startsWith(keyword + " ") || line.equals(keyword)) {
                return line;
            }
            if (line.startsWith("DOWN ") && !keyword.equals("DOWN")) {
                throw new AssertionError(name + " went down while waiting for " + keyword + ": " + line);
            }
        }
    }

    /** Number of output lines (log included) so far that contain {@code text}. */
    long countLines(String text) {
        synchronized (transcript) {
            return transcript.stream().filter(l -> l.contains(text)).count();
        }
    }

    void send(String line) throws IOException {
        stdin.write(line + "\n");
        stdin.flush();
    }

    /** Counters as reported by the agent. */
    Map<String, Long> stats() throws Exception {
        send("STATS");
        String line = await("STATS", Duration.ofSeconds(10));
        Map<String, Long> m = new HashMap<>();
        for (String kv : line.substring(6).split(" ")) {
            String[] f = kv.split("=");
            m.put(f[0], Long.parseLong(f[1]));
        }
        return m;
    }

    long pid() {
        return process.pid();
    }

    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    boolean exited(Duration within) throws InterruptedException {
        return process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            try {
                send("CLOSE");
            } catch (IOException e) {
                // already closing
            }
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
