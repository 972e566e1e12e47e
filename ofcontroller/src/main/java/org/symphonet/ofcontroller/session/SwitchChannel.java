package org.symphonet.ofcontroller.session;

import org.projectfloodlight.openflow.protocol.OFMessage;

/** The one way a bridge's logic talks to its switch. Writes are flushed by the session at the end of each batch. */
public interface SwitchChannel {
    void send(OFMessage message);

    /** Flush now: for work that does not run inside a read batch (timers, topology changes). */
    void flush();

    /**
     * Runs {@code task} on this switch's thread after {@code delayMillis}, then flushes; nothing
     * when the connection closed in between. For a bridge's own timers (the default: never runs).
     */
    default void later(Runnable task, long delayMillis) {
    }
}
