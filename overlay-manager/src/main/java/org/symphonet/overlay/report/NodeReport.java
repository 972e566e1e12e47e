package org.symphonet.overlay.report;

import org.symphonet.overlay.status.NodeStatus;

/**
 * What a node posts to the collector: its status snapshot (the same JSON as its {@code /status}) with
 * what the collector needs to keep its view honest.
 *
 * @param schema         wire version, {@value #SCHEMA}; the collector refuses others with a clear 400
 * @param seq            counts this process's reports from 1; shows the collector (and its tests) which
 *                       report is the newest
 * @param intervalMillis how often this node reports; the collector forgets it after a few missed ones
 * @param status         the node's status
 */
public record NodeReport(int schema, long seq, long intervalMillis, NodeStatus status) {

    public static final int SCHEMA = 1;
    public static final String PATH = "/api/v1/report";
}
