package org.symphonet.tunnel.dtls;

import java.io.IOException;

import org.symphonet.tunnel.DownReason;

/** A failed DTLS handshake, already classified for the {@code Down} event. */
public final class HandshakeException extends IOException {
    private static final long serialVersionUID = 1L;
    private final DownReason reason;

    public HandshakeException(DownReason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public DownReason reason() {
        return reason;
    }
}
