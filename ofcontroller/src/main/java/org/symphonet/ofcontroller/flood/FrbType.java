package org.symphonet.ofcontroller.flood;

/** The kinds of FRB frame. Codes are on the wire; never renumber. */
public enum FrbType {
    /** Carries a broadcast, multicast or unknown-unicast frame that entered the overlay at the root. */
    FLOOD(1),
    /** Carries the list of leaf MACs behind the root bridge. */
    LEAF_ANNOUNCEMENT(2),
    /**
     * Carries the IPv4 addresses of the leaves behind the root bridge, as (MAC, address) pairs, so
     * every bridge can answer its leaves' ARP requests for them without a flood. Bridges of older
     * versions drop it as an unknown type (and so do not hand it on): theirs and the leaves behind
     * them are then asked for by flood, as before.
     */
    LEAF_ADDRESSES(3);

    private final int code;

    FrbType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The type for a wire code, or null when the code is unknown. */
    public static FrbType ofCode(int code) {
        return switch (code) {
            case 1 -> FLOOD;
            case 2 -> LEAF_ANNOUNCEMENT;
            case 3 -> LEAF_ADDRESSES;
            default -> null;
        };
    }
}
