package org.symphonet.overlay.node;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.symphonet.overlay.status.NodeStatus;

/**
 * When this node first reached each phase of its start, measured from the process start (not the
 * JVM's first line of our code: class loading and JIT are part of what a user waits for). One log
 * line per phase, so an operator sees from one node's log where its start-up went; the status
 * endpoint shows the same as {@link NodeStatus.Timeline}. Written on the control thread; read by
 * status snapshots from others, hence the volatile snapshot.
 */
final class StartTimeline {

    enum Phase {
        BRIDGE_CONNECTED("bridge-connected"),
        XMPP_ONLINE("xmpp-online"),
        FIRST_LINK_REQUESTED("first-link-requested"),
        LINKS_UP("links-up");

        final String wire;

        Phase(String wire) {
            this.wire = wire;
        }
    }

    private static final Logger log = LoggerFactory.getLogger(StartTimeline.class);

    private final Instant processStart;
    private final Map<String, Double> reached = new LinkedHashMap<>();
    private final Map<String, Double> cpuAt = new LinkedHashMap<>();
    private volatile NodeStatus.Timeline snapshot = NodeStatus.Timeline.EMPTY;

    StartTimeline() {
        this(ProcessHandle.current().info().startInstant()
                .orElseGet(() -> Instant.ofEpochMilli(java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime())));
    }

    StartTimeline(Instant processStart) {
        this.processStart = processStart;
    }

    boolean reached(Phase phase) {
        return snapshot.phases().containsKey(phase.wire);
    }

    /** Records {@code phase} the first time it is reached; later calls change nothing. */
    synchronized void reach(Phase phase) {
        if (reached.containsKey(phase.wire)) {
            return;
        }
        double at = Duration.between(processStart, Instant.now()).toMillis() / 1000.0;
        reached.put(phase.wire, at);
        // One read of /proc/self/stat per phase: four in a node's life.
        double cpu = cpuSeconds();
        cpuAt.put(phase.wire, cpu);
        log.info("start-up phase {} at {} s after process start ({} CPU seconds used)", phase.wire, at, cpu);
        snapshot = new NodeStatus.Timeline(reached, phase == Phase.LINKS_UP ? cpu : snapshot.cpuSecondsAtLinksUp(), cpuAt);
    }

    NodeStatus.Timeline snapshot() {
        return snapshot;
    }

    /** CPU time (user and system, all threads) this process used so far; -1 where the OS does not say. */
    static double cpuSeconds() {
        return ProcessHandle.current().info().totalCpuDuration().map(d -> Math.round(d.toMillis() / 10.0) / 100.0)
                .orElse(-1.0);
    }
}
