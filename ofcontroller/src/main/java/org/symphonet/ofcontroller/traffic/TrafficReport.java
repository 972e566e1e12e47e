package org.symphonet.ofcontroller.traffic;

import java.util.Map;

import org.symphonet.ofcontroller.view.NodeId;

/**
 * What one bridge forwarded toward the leaves of each remote node since its previous report.
 *
 * @param datapathId     the bridge that measured
 * @param bytesPerSecond per remote node (the bridge its destination MACs sit behind); nodes with no
 *                       traffic in the interval are absent
 * @param intervalMillis the interval the rates were averaged over
 */
public record TrafficReport(long datapathId, Map<NodeId, Double> bytesPerSecond, long intervalMillis) {

    public TrafficReport {
        bytesPerSecond = Map.copyOf(bytesPerSecond);
    }
}
