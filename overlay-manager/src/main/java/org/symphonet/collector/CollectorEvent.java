package org.symphonet.collector;

/**
 * One change in an overlay, as the dashboard's history shows it.
 *
 * @param seq     increases by one per event, so a client can ask for what it missed
 * @param time    milliseconds since the epoch, on the collector's clock
 * @param kind    {@code node-join}, {@code node-leave}, {@code link-up}, {@code link-down}, {@code link-change}
 * @param node    the node the event is about (for links: one end)
 * @param peer    the other end of a link; null for node events
 * @param detail  what changed, for people: role and type of a link, why a node left
 */
public record CollectorEvent(long seq, long time, String overlay, String kind, String node, String peer, String detail) {
}
