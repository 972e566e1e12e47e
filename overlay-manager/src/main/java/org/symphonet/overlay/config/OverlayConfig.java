package org.symphonet.overlay.config;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;


/**
 * One overlay this node serves: its own bridge, its own ring, its own tunnels.
 *
 * @param id           overlay ID, the same on every node of the overlay
 * @param bridge       OVS bridge name on this host
 * @param bridgeIp     address for the bridge's internal port, if the host itself should be a leaf
 * @param mtu          MTU of the overlay's TAP ports (what leaves see)
 * @param successors   successor links, {@code s}: the ring survives {@code s-1} failures
 * @param shortcuts    fixed shortcut count; empty means {@code floor(log2 n)}
 * @param maxShortcuts cap on the shortcut count
 * @param maxLinks     cap on all links; over it inbound shortcut and on-demand requests get {@code busy}
 * @param onDemand     on-demand link policy
 */
public record OverlayConfig(String id, String bridge, Optional<BridgeAddress> bridgeIp, int mtu,
                            int successors, OptionalInt shortcuts, int maxShortcuts, int maxLinks,
                            OnDemandConfig onDemand) {

    public static final int DEFAULT_MTU = 1500;
    public static final int DEFAULT_SUCCESSORS = 2;
    public static final int DEFAULT_MAX_SHORTCUTS = 6;
    public static final int DEFAULT_MAX_LINKS = 32;

    private static final Pattern IFNAME = Pattern.compile("[A-Za-z0-9_.-]{1,15}");

    public OverlayConfig {
        Check.matches("id", id, OverlayIds.PATTERN, OverlayIds.DESCRIPTION);
        Check.matches("bridge", bridge, IFNAME, "an interface name of 1-15 characters (A-Z, a-z, 0-9, '_', '.', '-')");
        Check.required("bridge-ip", bridgeIp);
        Check.range("mtu", mtu, DEFAULT_MTU, 1280, 9000);
        Check.range("successors", successors, DEFAULT_SUCCESSORS, 1, 16);
        Check.required("shortcuts", shortcuts);
        Check.range("max-shortcuts", maxShortcuts, DEFAULT_MAX_SHORTCUTS, 0, 64);
        if (shortcuts.isPresent()) {
            Check.range("shortcuts", shortcuts.getAsInt(), 0, 0, maxShortcuts);
        }
        Check.range("max-links", maxLinks, DEFAULT_MAX_LINKS, 2 * successors, 4096);
        Check.required("on-demand", onDemand);
    }

    static OverlayConfig read(YamlTree.Node node) {
        Fields f = Fields.of(node, "id", "bridge", "bridge-ip", "mtu", "successors", "shortcuts", "max-shortcuts",
                "max-links", "on-demand");
        return fromYaml(f.text("id"), f.text("bridge"), f.text("bridge-ip"), f.integer("mtu"), f.integer("successors"),
                f.scalar("shortcuts"), f.integer("max-shortcuts"), f.integer("max-links"),
                f.record("on-demand", OnDemandConfig::read));
    }

    static OverlayConfig fromYaml(String id,
                                  String bridge,
                                  String bridgeIp,
                                  Integer mtu,
                                  Integer successors,
                                  Object shortcuts,
                                  Integer maxShortcuts,
                                  Integer maxLinks,
                                  OnDemandConfig onDemand) {
        int s = Check.range("successors", successors, DEFAULT_SUCCESSORS, 1, 16);
        return new OverlayConfig(id, bridge,
                bridgeIp == null ? Optional.empty() : Optional.of(BridgeAddress.parse("bridge-ip", bridgeIp)),
                Check.range("mtu", mtu, DEFAULT_MTU, 1280, 9000),
                s,
                shortcuts(shortcuts),
                Check.range("max-shortcuts", maxShortcuts, DEFAULT_MAX_SHORTCUTS, 0, 64),
                Check.range("max-links", maxLinks, DEFAULT_MAX_LINKS, 2 * s, 4096),
                onDemand == null ? OnDemandConfig.DEFAULT : onDemand);
    }

    /** {@code value}: null, a whole number as a Long, or any other scalar's text (Fields#scalar). */
    private static OptionalInt shortcuts(Object value) {
        if (value == null || "auto".equals(value)) {
            return OptionalInt.empty();
        }
        if (value instanceof Long n && n >= Integer.MIN_VALUE && n <= Integer.MAX_VALUE) {
            return OptionalInt.of(n.intValue());
        }
        throw new ConfigValueException("shortcuts", "must be 'auto' or a whole number, got '" + value + "'");
    }

    /**
     * Shortcut count for an overlay of {@code members} nodes (self included): the fixed count, or
     * {@code floor(log2 n)}, capped by {@code max-shortcuts}.
     */
    public int shortcutCount(int members) {
        int k = shortcuts.orElse(members < 2 ? 0 : 31 - Integer.numberOfLeadingZeros(members));
        return Math.min(k, maxShortcuts);
    }
}
