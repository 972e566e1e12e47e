package org.symphonet.ofcontroller.discovery;

import java.util.List;
import java.util.Map;

/**
 * The discovered fabrics at a moment, for {@code /fabric} and tests.
 *
 * @param fabrics   how many separate fabrics (rings): sets of switches that share no link
 * @param switches  every connected switch
 * @param links     every switch-to-switch link proven both ways
 * @param linksLost links that were up and went down (port status or probe timeout) since start
 */
public record FabricStatus(int fabrics, List<SwitchEntry> switches, List<LinkEntry> links, long linksLost) {

    /**
     * @param fabric index of the fabric it belongs to (0-based, ordered by smallest datapath ID)
     * @param ports  port name to its role: "peer", "leaf", "unknown" or "down"
     */
    public record SwitchEntry(String datapathId, String nodeId, int fabric, Map<String, String> ports) {
    }

    /** Ends as datapath ID and port name, e.g. {@code 0000000000000001/s1-eth2}. */
    public record LinkEntry(String a, String b) {
    }
}
