package org.symphonet.overlay.topology;

import java.time.Duration;

/**
 * How gradual topology changes are.
 *
 * @param maxAddsPerRound    non-successor link-requests started per round; successors are never held back
 * @param maxRemovesPerRound links closed per round
 * @param removeGrace        how long a link must stay unwanted before it is closed: a peer whose
 *                           presence blinks off and on within this time keeps its links
 */
public record PlannerSettings(int maxAddsPerRound, int maxRemovesPerRound, Duration removeGrace) {

    public static final PlannerSettings DEFAULT = new PlannerSettings(2, 1, Duration.ofSeconds(30));

    public PlannerSettings {
        if (maxAddsPerRound < 1 || maxRemovesPerRound < 1 || removeGrace.isNegative()) {
            throw new IllegalArgumentException("bad planner settings: " + maxAddsPerRound + ", "
                    + maxRemovesPerRound + ", " + removeGrace);
        }
    }
}
