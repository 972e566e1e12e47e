package org.symphonet.ofcontroller.session;

import org.projectfloodlight.openflow.protocol.OFMessage;

/** The one way a bridge's logic talks to its switch. Writes are flushed by the session at the end of each batch. */
public interface SwitchChannel {
    void send(OFMessage message);

    /** Flush now: for work that does not run inside a read batch (timers, topology changes). */
    void flush();

    /**
     * Runs {@code task} on the session's thread after {@code millis} (then flushes), unless the
     * switch is gone by then. Channels without a thread of their own (test doubles) drop it.
     */
    default void schedule(long millis, Runnable task) {
    }
}
