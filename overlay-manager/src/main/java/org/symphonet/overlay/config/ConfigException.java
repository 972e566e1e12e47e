package org.symphonet.overlay.config;

import java.nio.file.Path;

/**
 * A config file that cannot be used. The message reads {@code file:line:column: key: problem}, the
 * shape editors and CI logs turn into a link to the spot.
 */
public final class ConfigException extends Exception {

    private final Path file;
    private final String key;
    private final int line;
    private final int column;

    public ConfigException(Path file, String key, int line, int column, String problem, Throwable cause) {
        super(format(file, key, line, column, problem), cause);
        this.file = file;
        this.key = key;
        this.line = line;
        this.column = column;
    }

    private static String format(Path file, String key, int line, int column, String problem) {
        StringBuilder b = new StringBuilder().append(file);
        if (line > 0) {
            b.append(':').append(line);
            if (column > 0) {
                b.append(':').append(column);
            }
        }
        b.append(": ");
        if (key != null && !key.isEmpty()) {
            b.append(key).append(": ");
        }
        return b.append(problem).toString();
    }

    public Path file() {
        return file;
    }

    /** Dotted path of the key, e.g. {@code overlays[1].max-links}; empty when the whole file is at fault. */
    public String key() {
        return key;
    }

    /** 1-based line, or 0 when unknown. */
    public int line() {
        return line;
    }

    public int column() {
        return column;
    }
}
