package org.symphonet.simulator.overlay;

import java.time.Duration;

import org.symphonet.overlay.link.LinkTimers;
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
 * @param timers        the link manager's own timers (answer and connect timeouts, retry pacing)
 * @param setupRoundTrips round trips ICE and DTLS take once both ends have the other's parameters
 * @param hopLimit      the flood engine's FRB hop limit
 * @param onDemandThreshold bytes per second that make a pair hot
 * @param onDemandIdle  how long a hot pair stays wanted
 */
public record SimSettings(SymphonyParams params, PlannerSettings planner, long roundNanos, long deadNanos,
                          long keepaliveNanos, long presenceDelayNanos, long presenceTimeoutNanos, long tickNanos,
                          LinkTimers timers, int setupRoundTrips, int hopLimit,
                          long onDemandThreshold, Duration onDemandIdle) {

    private static final long MS = 1_000_000L;

    /**
     * The node's own defaults where it has them: a round every 3 s (Node), 10 s answer timeout,
     * 45 s connect timeout and 2 s to 60 s retry backoff (LinkTimers), 1 s keepalive and 5 s dead
     * interval (tunnel agent), FRB hop limit 1024 (controller), planner pacing (PlannerSettings.DEFAULT).
     */
    public static SimSettings defaults(SymphonyParams params) {
        return new SimSettings(params, PlannerSettings.DEFAULT, 3000 * MS, 5000 * MS, 1000 * MS, 200 * MS,
                5000 * MS, 100 * MS, LinkTimers.DEFAULT, 3, 1024, 1_000_000, Duration.ofSeconds(60));
    }
}
