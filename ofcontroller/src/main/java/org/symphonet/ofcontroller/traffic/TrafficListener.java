package org.symphonet.ofcontroller.traffic;

/**
 * Receives traffic reports, one per bridge and poll period. Called on the bridge's session thread:
 * implementations hand the report to their own thread and return at once.
 */
@FunctionalInterface
public interface TrafficListener {
    void report(TrafficReport report);
}
