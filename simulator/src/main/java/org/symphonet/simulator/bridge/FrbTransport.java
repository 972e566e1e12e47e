package org.symphonet.simulator.bridge;

/** Carries an encoded FRB from a bridge over one of its ports (the simulated tunnel). */
public interface FrbTransport {

    void send(int fromNode, SimBridge.Port port, byte[] frame);
}
