package org.symphonet.ofcontroller.discovery;

/** What discovery has made of a port. */
public enum PortRole {
    /** Not live: carries nothing. */
    DOWN,
    /** Live, but not known yet: floods nothing and what it brings is dropped, so nothing can loop through it. */
    UNKNOWN,
    /** A probe went both ways over it: it leads to another switch of the fabric. */
    PEER,
    /** Live for the settle time without a probe from another switch: hosts sit behind it. */
    LEAF;

    /**
     * The role of one port.
     *
     * @param live       the port is up (not administratively down, carrier present)
     * @param linked     probes crossed its link in both directions recently
     * @param heardProbe a probe arrived on it recently (perhaps only one way: a link still coming up,
     *                   or a one-way link; never a leaf then)
     * @param upNanos    how long it has been up under this controller
     * @param settleNanos how long a port must stay silent before it counts as a leaf
     */
    public static PortRole classify(boolean live, boolean linked, boolean heardProbe, long upNanos, long settleNanos) {
        if (!live) {
            return DOWN;
        }
        if (linked) {
            return PEER;
        }
        if (heardProbe || upNanos < settleNanos) {
            return UNKNOWN;
        }
        return LEAF;
    }
}
