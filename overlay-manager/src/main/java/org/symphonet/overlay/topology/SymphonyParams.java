package org.symphonet.overlay.topology;

import java.util.OptionalInt;

import org.symphonet.overlay.config.OverlayConfig;

/**
 * The knobs of one overlay's link selection, kept apart from the config records so a simulator
 * can build them without a YAML file.
 *
 * @param successors     successor links {@code s}
 * @param fixedShortcuts fixed shortcut count, or empty for {@code floor(log2 n)}
 * @param maxShortcuts   cap on the shortcut count
 * @param maxLinks       cap on all links (successors exempt)
 * @param maxOnDemand    cap on on-demand links
 */
public record SymphonyParams(int successors, OptionalInt fixedShortcuts, int maxShortcuts, int maxLinks,
                             int maxOnDemand) {

    public SymphonyParams {
        if (successors < 1 || maxShortcuts < 0 || maxLinks < successors || maxOnDemand < 0
                || fixedShortcuts.orElse(0) < 0) {
            throw new IllegalArgumentException("inconsistent Symphony parameters: s=" + successors + ", k="
                    + fixedShortcuts + ", max-shortcuts=" + maxShortcuts + ", max-links=" + maxLinks
                    + ", max-on-demand=" + maxOnDemand);
        }
    }

    public static SymphonyParams of(OverlayConfig o) {
        return new SymphonyParams(o.successors(), o.shortcuts(), o.maxShortcuts(), o.maxLinks(),
                o.onDemand().enabled() ? o.onDemand().maxLinks() : 0);
    }

    /** Shortcut count for {@code n} members (self included): fixed or floor(log2 n), capped. */
    public int shortcutCount(int n) {
        int k = fixedShortcuts.orElse(n < 2 ? 0 : 31 - Integer.numberOfLeadingZeros(n));
        return Math.min(k, maxShortcuts);
    }
}
