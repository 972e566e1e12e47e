package org.symphonet.overlay.config;

import java.util.regex.Pattern;

/** Small validation helpers shared by the config records; each failure names its key. */
final class Check {

    private Check() {
    }

    static <T> T required(String key, T value) {
        if (value == null) {
            throw new ConfigValueException(key, "is required");
        }
        return value;
    }

    static int range(String key, Integer value, int dflt, int min, int max) {
        int v = value == null ? dflt : value;
        if (v < min || v > max) {
            throw new ConfigValueException(key, "must be between " + min + " and " + max + ", got " + v);
        }
        return v;
    }

    static long range(String key, Long value, long dflt, long min, long max) {
        long v = value == null ? dflt : value;
        if (v < min || v > max) {
            throw new ConfigValueException(key, "must be between " + min + " and " + max + ", got " + v);
        }
        return v;
    }

    static String matches(String key, String value, Pattern pattern, String what) {
        if (value == null) {
            throw new ConfigValueException(key, "is required");
        }
        if (!pattern.matcher(value).matches()) {
            throw new ConfigValueException(key, "must be " + what + ", got '" + value + "'");
        }
        return value;
    }

    static String nonBlank(String key, String value) {
        if (value == null || value.isBlank()) {
            throw new ConfigValueException(key, "is required and must not be empty");
        }
        return value;
    }

    /** A copy of the list; a missing list is empty, an empty entry ({@code - }) is an error. */
    static <T> java.util.List<T> list(String key, java.util.List<T> value) {
        if (value == null) {
            return java.util.List.of();
        }
        for (int i = 0; i < value.size(); i++) {
            if (value.get(i) == null) {
                throw new ConfigValueException(key + "[" + i + "]", "is empty");
            }
        }
        return java.util.List.copyOf(value);
    }

    static int port(String key, Integer value, int dflt) {
        return range(key, value, dflt, 1, 65535);
    }

    /** Host name or IP literal; rejects spaces, schemes and ports so typos surface at load time. */
    static String host(String key, String value) {
        nonBlank(key, value);
        if (!HOST.matcher(value).matches()) {
            throw new ConfigValueException(key, "must be a host name or IP address (no scheme, no port), got '"
                    + value + "'");
        }
        return value;
    }

    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?|\\[?[0-9A-Fa-f:.]+]?");
}
