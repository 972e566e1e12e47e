package org.symphonet.ofcontroller.traffic;

import java.util.function.Consumer;

import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFStatsReply;
import org.symphonet.ofcontroller.session.SwitchChannel;

/**
 * Drives one bridge's {@link TrafficPoller} on the bridge's session thread: calls its tick when it
 * wants one ({@link TrafficPoller#nextTickMillis}: every {@value TrafficPoller#TICK_MILLIS} ms while
 * traffic flows, once per quiet period on an idle bridge), sends what it asks for, and wakes early
 * when a new flow or a reply needs a tick before a parked sleep ends. A scheduled task cannot be
 * taken back, so each arming supersedes the ones before (a generation number); the superseded task
 * still fires, once, and does nothing. The clock stops with the switch's connection (the channel
 * runs no task after that).
 */
public final class TrafficClock {

    private final TrafficPoller poller;
    private final SwitchChannel channel;
    private final Consumer<OFMessage> send;
    private long generation;

    public TrafficClock(TrafficPoller poller, SwitchChannel channel) {
        this.poller = poller;
        this.channel = channel;
        this.send = channel::send;
    }

    /** The first tick, {@value TrafficPoller#TICK_MILLIS} ms from now. */
    public void start() {
        arm(TrafficPoller.TICK_MILLIS);
    }

    /** The bridge installed a flow toward a remote node's leaf: measured at the next tick. */
    public void flowInstalled() {
        poller.flowInstalled();
        if (poller.wake()) {
            arm(TrafficPoller.TICK_MILLIS);
        }
    }

    /** A stats reply from the switch: the poller's, or ignored. */
    public void onStatsReply(OFStatsReply reply, long nowNanos) {
        poller.onStatsReply(reply, nowNanos).ifPresent(request -> {
            send.accept(request);
            if (poller.wake()) {
                arm(TrafficPoller.TICK_MILLIS);
            }
        });
    }

    private void arm(long millis) {
        long armed = ++generation;
        channel.schedule(millis, () -> {
            if (armed == generation) {
                tick();
            }
        });
    }

    private void tick() {
        poller.onTick().ifPresent(send);
        arm(poller.nextTickMillis());
    }
}
