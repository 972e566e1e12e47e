package org.symphonet.tunnel.datapath;

import org.symphonet.tunnel.DownReason;

/** How a data-path thread reports that the tunnel cannot go on. Called at most a few times; idempotent upstream. */
@FunctionalInterface
public interface FailureHandler {
    void failed(DownReason reason, String detail);
}
