package org.symphonet.ofcontroller.learning;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Frames toward MACs whose forwarding flow is moving onto a shorter path (an on-demand link
 * straight to the bridge they sit behind), held by the controller until the frames already on the
 * longer path have arrived. Sent on at once, the first frames over the direct link would overtake
 * those still crossing the ring: the receiver's TCP sees the gap as losses (duplicate ACKs) and the
 * sender retransmits a burst of segments that were never lost. Pure bookkeeping, one bridge thread.
 */
public final class HeldMoves {

    /** One frame as it reached the controller: its ingress port (for the packet-out) and its bytes. */
    public record Frame(int inPort, byte[] data) {
    }

    private final int maxFramesPerMac;
    private final Map<Long, List<Frame>> held = new HashMap<>();

    /** @param maxFramesPerMac frames beyond this are not held (the caller sends them on at once) */
    public HeldMoves(int maxFramesPerMac) {
        this.maxFramesPerMac = maxFramesPerMac;
    }

    /** Starts holding frames toward {@code mac}; false if they are held already. */
    public boolean hold(long mac) {
        return held.putIfAbsent(mac, new ArrayList<>()) == null;
    }

    public boolean isHeld(long mac) {
        return held.containsKey(mac);
    }

    /** Keeps a frame toward a held MAC; false when the MAC is not held or its buffer is full. */
    public boolean offer(long mac, int inPort, byte[] frame) {
        List<Frame> frames = held.get(mac);
        if (frames == null || frames.size() >= maxFramesPerMac) {
            return false;
        }
        frames.add(new Frame(inPort, frame));
        return true;
    }

    /** Stops holding {@code mac}: its frames in arrival order (empty if it was not held). */
    public List<Frame> release(long mac) {
        List<Frame> frames = held.remove(mac);
        return frames == null ? List.of() : frames;
    }

    public int size() {
        return held.size();
    }
}
