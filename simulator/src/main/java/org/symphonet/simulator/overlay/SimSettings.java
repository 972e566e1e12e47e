package org.symphonet.simulator.overlay;

import java.time.Duration;

import org.symphonet.overlay.topology.PlannerSettings;
import org.symphonet.overlay.topology.SymphonyParams;

/**
 * The knobs of the simulated nodes and network that are not the scenario's.
 *
 * @param params        Symphony parameters handed to the real selector and admission
 * @param planner       the real planner's pacing
 * @param roundNanos    topology timer period
 * @param deadNanos     tunnel liveness: silent this long means down
 * @param keepaliveNanos keepalive period; a failure is noticed within dead + one keepalive
 * @param presenceDelayNanos how long a presence change takes to reach every node
 * @param presenceTimeoutNanos how long the XMPP server takes to notice a crashed session
 * @param tickNanos     how often the server pushes gathered presence changes
 * @param deadlineNanos link negotiation deadline
 * @param retryMinNanos first wait before asking a peer again after a failure (busy, timeout, tunnel down)
 * @param retryMaxNanos the wait doubles per failure up to this
 * @param backoffLeavesView true: peers in backoff are left out of the selector's view, as
 *                      {@code OverlayTopology.round} asks of its caller, so a busy shortcut is
 *                      replaced; false: they stay wanted and are retried, as LinkManager does today
 * @param setupRoundTrips round trips ICE and DTLS take once the answer is in
 * @param hopLimit      the flood engine's FRB hop limit
 * @param onDemandThreshold bytes per second that make a pair hot
 * @param onDemandIdle  how long a hot pair stays wanted
 */
public record SimSettings(SymphonyParams params, PlannerSettings planner, long roundNanos, long deadNanos,
                          long keepaliveNanos, long presenceDelayNanos, long presenceTimeoutNanos, long tickNanos,
                          long deadlineNanos, long retryMinNanos, long retryMaxNanos, boolean backoffLeavesView,
                          int setupRoundTrips, int hopLimit,
                          long onDemandThreshold, Duration onDemandIdle) {

    private static final long MS = 1_000_000L;

    /**
     * The node's own defaults where it has them: a round every 3 s (Node), 10 s answer timeout and
     * 2 s to 60 s retry backoff (LinkTimers), 1 s keepalive and 5 s dead interval (tunnel agent),
     * FRB hop limit 1024 (controller), planner pacing (PlannerSettings.DEFAULT).
     */
    public static SimSettings defaults(SymphonyParams params) {
        return new SimSettings(params, PlannerSettings.DEFAULT, 3000 * MS, 5000 * MS, 1000 * MS, 200 * MS,
                5000 * MS, 100 * MS, 10_000 * MS, 2000 * MS, 60_000 * MS, true, 3, 1024, 1_000_000,
                Duration.ofSeconds(60));
    }

    public SimSettings withBackoffLeavesView(boolean leaves) {
        return new SimSettings(params, planner, roundNanos, deadNanos, keepaliveNanos, presenceDelayNanos,
                presenceTimeoutNanos, tickNanos, deadlineNanos, retryMinNanos, retryMaxNanos, leaves,
                setupRoundTrips, hopLimit, onDemandThreshold, onDemandIdle);
    }
}
