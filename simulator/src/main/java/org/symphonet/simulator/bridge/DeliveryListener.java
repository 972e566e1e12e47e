package org.symphonet.simulator.bridge;

import org.symphonet.ofcontroller.flood.Frb;

/** Told of every flood a bridge delivers to its leaves: the observer's view of the broadcast. */
public interface DeliveryListener {

    void delivered(int node, Frb frb);
}
