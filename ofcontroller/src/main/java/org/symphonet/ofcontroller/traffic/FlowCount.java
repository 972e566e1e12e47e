package org.symphonet.ofcontroller.traffic;

/**
 * One forwarding flow's counter as a flow-stats reply gave it.
 *
 * @param mac      the destination MAC the flow matches (48 bits in a long)
 * @param bytes    bytes the flow has matched since it was installed
 * @param ageNanos how long the flow has existed (the reply's duration)
 */
public record FlowCount(long mac, long bytes, long ageNanos) {
}
