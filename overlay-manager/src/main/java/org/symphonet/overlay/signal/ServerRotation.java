package org.symphonet.overlay.signal;

import java.time.Duration;
import java.util.List;
import java.util.Random;

/**
 * Which XMPP server to try next and after how long. Servers are tried in the configured order,
 * starting with the first (the node's own); each failure, or the loss of a working session, moves
 * on to the next. Within one round over the list the next server is tried after a short jittered
 * pause (a cluster's other node is usually up, and the node should be back within seconds); only
 * when a whole round failed does the pause grow, by {@link Backoff}, up to its bound, so a dead
 * signaling tier is not hammered by every node at once. Pure logic, owned by one thread.
 */
public final class ServerRotation {

    private final List<String> servers;
    private final Backoff rounds;
    private final Duration step;
    private final Random random;
    private int current;
    /** Failures since the last success (or start), to know when a round is complete. */
    private int failuresInRound;

    /**
     * @param step   pause before trying the next server within a round (jittered ±20 %)
     * @param rounds pause after a complete round of failures; reset by {@link #succeeded()}
     */
    public ServerRotation(List<String> servers, Duration step, Backoff rounds, Random random) {
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("no servers to rotate over");
        }
        if (step.isNegative() || step.isZero()) {
            throw new IllegalArgumentException("step must be positive: " + step);
        }
        this.servers = List.copyOf(servers);
        this.step = step;
        this.rounds = rounds;
        this.random = random;
    }

    /** Index of the server to connect to now. */
    public int current() {
        return current;
    }

    public String currentServer() {
        return servers.get(current);
    }

    /**
     * The current server failed (or a session on it was lost): moves to the next server and
     * returns how long to wait before trying it.
     */
    public Duration failed() {
        current = (current + 1) % servers.size();
        failuresInRound++;
        if (failuresInRound % servers.size() == 0) {
            return rounds.next();
        }
        long ms = step.toMillis();
        return Duration.ofMillis(Math.max(1, ms + (long) (ms * 0.2 * (2 * random.nextDouble() - 1))));
    }

    /** Logged in on the current server: the next failure starts a fresh round from there. */
    public void succeeded() {
        failuresInRound = 0;
        rounds.reset();
    }
}
