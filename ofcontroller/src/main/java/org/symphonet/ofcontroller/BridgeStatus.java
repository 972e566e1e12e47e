package org.symphonet.ofcontroller;

import java.util.List;
import java.util.Map;

/**
 * A snapshot of one bridge for status pages and tests.
 *
 * @param ringGap the member this bridge would miss on broadcasts, or null when the ring is whole here
 */
public record BridgeStatus(String datapathId, String nodeId, Map<String, String> peerPorts, List<String> leafPorts,
                           int learnedMacs, int remoteLeafMacs, String ringGap, Map<String, Long> counters) {
}
