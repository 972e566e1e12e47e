package org.symphonet.overlay.config;

import java.util.regex.Pattern;

/**
 * The one rule for overlay IDs, shared by the config file and the signaling codec: short, lower
 * case and shell-safe, because IDs end up in TAP names, log lines and metric labels.
 */
public final class OverlayIds {

    public static final Pattern PATTERN = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");
    public static final String DESCRIPTION = "1-32 characters of a-z, 0-9, '-' and '_', starting with a letter or digit";

    private OverlayIds() {
    }

    public static boolean isValid(String id) {
        return id != null && PATTERN.matcher(id).matches();
    }
}
