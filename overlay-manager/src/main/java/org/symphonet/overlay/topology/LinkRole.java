package org.symphonet.overlay.topology;

import java.util.Optional;

/** Why a link exists (DESIGN.md §5); also the {@code role} of a link-request on the wire. */
public enum LinkRole {
    SUCCESSOR("successor"),
    SHORTCUT("shortcut"),
    ON_DEMAND("on-demand");

    private final String wire;

    LinkRole(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<LinkRole> fromWire(String s) {
        for (LinkRole r : values()) {
            if (r.wire.equals(s)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
