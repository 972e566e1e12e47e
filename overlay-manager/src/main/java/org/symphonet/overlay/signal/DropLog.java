package org.symphonet.overlay.signal;

import java.util.HashMap;
import java.util.Map;

import org.slf4j.Logger;

/**
 * Logs dropped stanzas without letting one sender flood the log: the first {@code perWindow} drops
 * per sender and window are logged, then one line says the rest are suppressed. Every drop is
 * still counted by the caller. Confined to the signaling thread.
 */
final class DropLog {

    private static final int MAX_SENDERS = 1024;

    private record Window(long startMillis, int count) {
    }

    private final Logger log;
    private final int perWindow;
    private final long windowMillis;
    private final Map<String, Window> windows = new HashMap<>();

    DropLog(Logger log, int perWindow, long windowMillis) {
        this.log = log;
        this.perWindow = perWindow;
        this.windowMillis = windowMillis;
    }

    /** Returns true when the line was logged, false when suppressed. */
    boolean drop(String what, String from, String why, long nowMillis) {
        Window w = windows.get(from);
        if (w == null || nowMillis - w.startMillis() >= windowMillis) {
            if (windows.size() >= MAX_SENDERS) {
                // Many distinct senders is itself an attack; forgetting them only costs log lines.
                windows.clear();
            }
            w = new Window(nowMillis, 0);
        }
        w = new Window(w.startMillis(), w.count() + 1);
        windows.put(from, w);
        if (w.count() <= perWindow) {
            log.warn("dropped {} from {}: {}", what, from, why);
            return true;
        }
        if (w.count() == perWindow + 1) {
            log.warn("dropping more stanzas from {}; not logging them for {} s", from, windowMillis / 1000);
        }
        return false;
    }
}
