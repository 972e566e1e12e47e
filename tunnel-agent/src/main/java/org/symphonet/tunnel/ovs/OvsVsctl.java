package org.symphonet.tunnel.ovs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteException;
import org.apache.commons.exec.ExecuteWatchdog;
import org.apache.commons.exec.PumpStreamHandler;

/**
 * Runs {@code ovs-vsctl} against one OVS instance. Arguments are passed as a list,
 * never through a shell, so a port or bridge name cannot inject anything.
 */
public final class OvsVsctl {
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final String executable;
    private final String db;

    /** @param db {@code --db} target such as {@code unix:/run/x/db.sock}, or null for the default */
    public OvsVsctl(String executable, String db) {
        this.executable = executable;
        this.db = db;
    }

    public OvsVsctl(String db) {
        this("ovs-vsctl", db);
    }

    /** Runs one command and returns its standard output. */
    public String run(List<String> args) throws IOException {
        CommandLine cmd = new CommandLine(executable);
        if (db != null) {
            cmd.addArgument("--db=" + db, false);
        }
        // ovs-vsctl's own timeout too: a dead ovsdb-server must not hang teardown.
        cmd.addArgument("--timeout=" + TIMEOUT.toSeconds(), false);
        for (String a : args) {
            cmd.addArgument(a, false);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        DefaultExecutor executor = DefaultExecutor.builder().get();
        executor.setStreamHandler(new PumpStreamHandler(out, err));
        executor.setWatchdog(ExecuteWatchdog.builder().setTimeout(TIMEOUT.plusSeconds(5)).get());
        try {
            executor.execute(cmd);
        } catch (ExecuteException e) {
            throw new IOException(String.join(" ", cmd.toStrings()) + " failed (exit " + e.getExitValue()
                    + "): " + err.toString(StandardCharsets.UTF_8).trim(), e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
