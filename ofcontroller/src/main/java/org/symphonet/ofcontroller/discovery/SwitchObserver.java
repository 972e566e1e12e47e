package org.symphonet.ofcontroller.discovery;

import java.util.List;

/**
 * What a bridge tells the topology source about its switch, and the probes it sends for it. A
 * static topology needs none of it ({@link #NONE}); {@link FabricDiscovery} builds the fabric from it.
 * Called from the bridges' event-loop threads.
 */
public interface SwitchObserver {

    void switchUp(long datapathId, List<PortInfo> ports);

    void switchDown(long datapathId);

    void portChanged(long datapathId, PortInfo port, boolean deleted);

    /** A probe frame arrived as a packet-in; true when the bridge should answer with a probe out of the same port. */
    boolean probeReceived(long datapathId, int inPort, byte[] frame);

    /** The probe to send out of this port now, or null when this observer does not probe. */
    byte[] probe(long datapathId, int port);

    SwitchObserver NONE = new SwitchObserver() {
        @Override
        public void switchUp(long datapathId, List<PortInfo> ports) {
        }

        @Override
        public void switchDown(long datapathId) {
        }

        @Override
        public void portChanged(long datapathId, PortInfo port, boolean deleted) {
        }

        @Override
        public boolean probeReceived(long datapathId, int inPort, byte[] frame) {
            return false;
        }

        @Override
        public byte[] probe(long datapathId, int port) {
            return null;
        }
    };
}
