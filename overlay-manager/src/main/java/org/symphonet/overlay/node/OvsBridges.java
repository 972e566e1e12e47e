package org.symphonet.overlay.node;

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
import org.symphonet.overlay.config.OverlayConfig;
import org.symphonet.tunnel.ovs.OvsVsctl;

/**
 * Creates each overlay's OVS bridge the way the controller needs it: userspace datapath, OpenFlow
 * 1.3 only, fail-mode secure (nothing switches without our controller), a datapath ID we chose,
 * and our controller as its only controller. {@code ovs-vsctl} finds the database through the
 * usual OVS environment (OVS_RUNDIR), so a node in a test namespace uses that namespace's OVS.
 */
final class OvsBridges {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    static final int CONTROLLER_QUEUE = 512;
    static final int INACTIVITY_PROBE_MILLIS = 30_000;

    void ensure(OverlayConfig overlay, long datapathId, int controllerPort) throws IOException {
        String br = overlay.bridge();
        vsctl("--may-exist", "add-br", br,
                "--", "set", "bridge", br, "datapath_type=netdev", "protocols=OpenFlow13", "fail-mode=secure",
                "other-config:datapath-id=" + String.format("%016x", datapathId),
                "--", "set-controller", br, "tcp:127.0.0.1:" + controllerPort,
                "--", "set", "controller", br, "connection-mode=out-of-band",
                // OVS doubles its wait after each failed attempt (up to 8 s by default): a first
                // connection lost under start-up CPU load must be retried within a second, not later.
                "max_backoff=1000",
                // Packet-ins OVS queues for a controller that is busy (default 100, at most 512):
                // the rest are dropped, and a dropped FRB loses its slice of the ring.
                "controller_queue_size=" + CONTROLLER_QUEUE,
                // OVS drops the connection when nothing moved on it for twice this (default 5 s).
                // The controller is this host's own process, whose death closes the socket anyway;
                // under the CPU load of a forming overlay a 10-s stall disconnected most bridges,
                // and each reconnection wipes the bridge's flows and learned MACs (a flood storm).
                "inactivity_probe=" + INACTIVITY_PROBE_MILLIS);
        if (overlay.bridgeIp().isPresent()) {
            var ip = overlay.bridgeIp().get();
            run("ip", "link", "set", br, "up", "mtu", Integer.toString(overlay.mtu()));
            // Replace rather than add, so a restart with a changed address does not leave two.
            run("ip", "addr", "flush", "dev", br);
            run("ip", "addr", "add", ip.address().getHostAddress() + "/" + ip.prefixLength(), "dev", br);
        }
    }

    private final OvsVsctl vsctl = new OvsVsctl(null);

    private void vsctl(String... args) throws IOException {
        vsctl.run(List.of(args));
    }

    /** For the {@code ip} commands; {@code ovs-vsctl} goes through the tunnel agent's runner. */
    private static void run(String program, String... args) throws IOException {
        CommandLine cl = new CommandLine(program);
        for (String a : args) {
            cl.addArgument(a, false);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DefaultExecutor ex = DefaultExecutor.builder().get();
        ex.setStreamHandler(new PumpStreamHandler(out));
        ex.setWatchdog(ExecuteWatchdog.builder().setTimeout(TIMEOUT).get());
        try {
            ex.execute(cl);
        } catch (ExecuteException e) {
            throw new IOException(program + " " + String.join(" ", args) + " failed (exit " + e.getExitValue() + "): "
                    + out.toString(StandardCharsets.UTF_8).trim(), e);
        }
    }
}
