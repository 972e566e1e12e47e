package org.symphonet.ofcontroller;

/**
 * Tunables of the controller.
 *
 * @param macIdleTimeoutSeconds learned MACs whose flows see no traffic for this long are forgotten
 * @param macTableCapacity      the most MACs one bridge learns; beyond it the MAC longest without a flow makes
 *                              room, or (every MAC has a flow) new ones are flooded: memory stays bounded
 * @param frbHopLimit           an FRB that has crossed this many bridges is dropped (guards transient loops)
 * @param echoIntervalSeconds   an idle switch connection is probed this often; three unanswered probes close it
 */
public record ControllerSettings(int macIdleTimeoutSeconds, int macTableCapacity, int frbHopLimit, int echoIntervalSeconds) {

    public static ControllerSettings defaults() {
        return new ControllerSettings(300, 100_000, 1024, 5);
    }

    public ControllerSettings {
        if (macIdleTimeoutSeconds < 1 || macIdleTimeoutSeconds > 65535) {
            throw new IllegalArgumentException("mac-idle-timeout must be 1..65535 seconds, got " + macIdleTimeoutSeconds);
        }
        if (macTableCapacity < 1) {
            throw new IllegalArgumentException("mac-table-capacity must be positive, got " + macTableCapacity);
        }
        if (frbHopLimit < 1 || frbHopLimit > 0xffff) {
            throw new IllegalArgumentException("frb-hop-limit must be 1..65535, got " + frbHopLimit);
        }
        if (echoIntervalSeconds < 1) {
            throw new IllegalArgumentException("echo-interval must be positive, got " + echoIntervalSeconds);
        }
    }
}
