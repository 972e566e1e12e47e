package org.symphonet.tunnel.dtls;

import java.io.IOException;

/**
 * A path that can hold back one thread's datagrams and send them together. The
 * sending thread must {@link #flush} before it waits for more work, so batching
 * never adds latency: it only merges what was ready at the same time.
 */
public interface BatchingPath {

    /** Datagrams sent from {@code sender} are queued until {@link #flush}; others go at once. */
    void batchFor(Thread sender);

    void flush() throws IOException;
}
