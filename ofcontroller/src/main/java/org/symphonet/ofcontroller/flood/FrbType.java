package org.symphonet.ofcontroller.flood;

/** The kinds of FRB frame. Codes are on the wire; never renumber. */
public enum FrbType {
    /** Carries a broadcast, multicast or unknown-unicast frame that entered the overlay at the root. */
    FLOOD(1),
    /** Carries the list of leaf MACs behind the root bridge. */
    LEAF_ANNOUNCEMENT(2);

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
            default -> null;
        };
    }
}
