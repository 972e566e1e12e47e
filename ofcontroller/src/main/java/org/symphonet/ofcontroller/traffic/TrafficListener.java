package org.symphonet.ofcontroller.traffic;

/**
 * Receives traffic reports, one per bridge and poll, except that a bridge with nothing flowing
 * reports that once, not at every poll. Called on the bridge's session thread: implementations
 * hand the report to their own thread and return at once.
 */
@FunctionalInterface
public interface TrafficListener {
    void report(TrafficReport report);
}
