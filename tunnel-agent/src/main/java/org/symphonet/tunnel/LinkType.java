package org.symphonet.tunnel;

/** What the selected candidate pair says about the path (DESIGN.md §4). */
public enum LinkType {
    /** Host candidate to host candidate: same LAN or public addresses. */
    DIRECT,
    /** At least one server-reflexive (or peer-reflexive) end: hole punched through NAT. */
    REFLEXIVE,
    /** Through a TURN relay. */
    RELAYED;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
