package org.symphonet.tunnel;

/**
 * Receives tunnel events. Called from agent threads: implementations must be quick
 * and must not call back into the tunnel synchronously in a way that blocks.
 */
@FunctionalInterface
public interface TunnelListener {
    void onEvent(TunnelEvent event);
}
