package org.symphonet.ofcontroller.flood;

import org.symphonet.ofcontroller.view.NodeId;

/** Where the flood engine's decisions go: the switch in the controller, simulated links in the simulator. */
public interface FloodSink {

    /** Send an encoded FRB frame over the link to {@code peer}. */
    void sendFrb(NodeId peer, byte[] frbFrame);

    /**
     * A new FRB arrived for this bridge: deliver a flood's frame to the local leaves and learn its
     * source, or record an announcement's leaves. {@code ingress} is the caller's handle of the
     * link it came in on, passed through untouched.
     */
    void deliverLocally(Frb frb, int ingress);
}
