package org.symphonet.overlay.identity;

import java.nio.file.Path;

/** The state directory holds an identity that cannot be used, or cannot be written. */
public final class IdentityException extends Exception {

    public IdentityException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
