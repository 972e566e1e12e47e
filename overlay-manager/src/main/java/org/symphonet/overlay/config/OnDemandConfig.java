package org.symphonet.overlay.config;

import java.time.Duration;


/**
 * When the switch's traffic reports justify a direct link to a bridge that is not adjacent.
 *
 * @param enabled     false turns on-demand links off for this overlay
 * @param threshold   bytes per second to one remote bridge that trigger a link
 * @param idle        how long the rate must stay below the threshold before the link is removed
 * @param maxLinks    at most this many on-demand links at once (they also count toward max-links)
 */
public record OnDemandConfig(boolean enabled, long threshold, Duration idle, int maxLinks) {

    public static final long DEFAULT_THRESHOLD = 1_000_000;
    public static final Duration DEFAULT_IDLE = Duration.ofSeconds(60);
    public static final int DEFAULT_MAX_LINKS = 4;
    public static final OnDemandConfig DEFAULT =
            new OnDemandConfig(true, DEFAULT_THRESHOLD, DEFAULT_IDLE, DEFAULT_MAX_LINKS);

    public OnDemandConfig {
        Check.range("threshold", threshold, DEFAULT_THRESHOLD, 1, Long.MAX_VALUE);
        Check.required("idle", idle);
        DurationText.within("idle", idle, Duration.ofSeconds(1), Duration.ofDays(1));
        Check.range("max-links", maxLinks, DEFAULT_MAX_LINKS, 0, 1024);
    }

    static OnDemandConfig read(YamlTree.Node node) {
        Fields f = Fields.of(node, "enabled", "threshold", "idle", "max-links");
        return fromYaml(f.bool("enabled"), f.longValue("threshold"), f.text("idle"), f.integer("max-links"));
    }

    static OnDemandConfig fromYaml(Boolean enabled,
                                   Long threshold,
                                   String idle,
                                   Integer maxLinks) {
        Duration d = DurationText.parse("idle", idle);
        return new OnDemandConfig(enabled == null || enabled,
                Check.range("threshold", threshold, DEFAULT_THRESHOLD, 1, Long.MAX_VALUE),
                d == null ? DEFAULT_IDLE : d,
                Check.range("max-links", maxLinks, DEFAULT_MAX_LINKS, 0, 1024));
    }
}
