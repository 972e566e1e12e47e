package org.symphonet.overlay.config;

/**
 * A bad value found while building a config record: names the offending key relative to the
 * record, so the loader can prefix the path to that record and find the key's line in the file.
 */
public final class ConfigValueException extends IllegalArgumentException {

    private final String key;

    public ConfigValueException(String key, String message) {
        super(message);
        this.key = key;
    }

    /** The key within the record that holds the bad value (kebab-case, as written in YAML). */
    public String key() {
        return key;
    }
}
