package org.symphonet.simulator.overlay;

/** Which link choice the simulated nodes run. */
public enum SelectorMode {
    /** The node's LinkSelector on every call: exact and O(n) per call. */
    REAL,
    /** The indexed twin, checked against LinkSelector on sampled calls. */
    INDEXED,
    /** REAL up to a few thousand nodes, INDEXED above. */
    AUTO
}
