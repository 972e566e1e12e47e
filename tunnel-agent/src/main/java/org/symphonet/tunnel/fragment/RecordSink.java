package org.symphonet.tunnel.fragment;

import java.io.IOException;

/** Where finished tunnel messages go: in production, one DTLS record each. */
@FunctionalInterface
public interface RecordSink {
    void send(byte[] buf, int off, int len) throws IOException;
}
