package org.symphonet.it.signal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import org.symphonet.overlay.signal.Peer;
import org.symphonet.overlay.signal.SignalBody;
import org.symphonet.overlay.signal.SignalListener;

/** Records every signaling event so a test can wait for the one it expects. */
final class RecordingListener implements SignalListener {

    sealed interface Event {
    }

    record Online(Peer peer) implements Event {
    }

    record Offline(Peer peer) implements Event {
    }

    record Received(Peer from, SignalBody body) implements Event {
    }

    record Dropped(String from, String reason) implements Event {
    }

    record Connection(boolean up) implements Event {
    }

    final List<Event> events = new CopyOnWriteArrayList<>();

    @Override
    public void peerOnline(Peer peer) {
        events.add(new Online(peer));
    }

    @Override
    public void peerOffline(Peer peer) {
        events.add(new Offline(peer));
    }

    @Override
    public void received(Peer from, SignalBody body) {
        events.add(new Received(from, body));
    }

    @Override
    public void dropped(String fromJid, String reason) {
        events.add(new Dropped(fromJid, reason));
    }

    @Override
    public void connectionChanged(boolean up) {
        events.add(new Connection(up));
    }

    /** Waits for an event after index {@code from} matching {@code p}; returns its index. */
    int await(int from, Predicate<Event> p, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (int i = from; i < events.size(); i++) {
                if (p.test(events.get(i))) {
                    return i;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("timed out after " + timeout + " waiting for " + what + "; events: " + events);
    }

    int size() {
        return events.size();
    }
}
