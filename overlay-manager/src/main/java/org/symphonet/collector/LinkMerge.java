package org.symphonet.collector;

import org.symphonet.overlay.status.NodeStatus;

/**
 * Merges the two ends' reports of one link into one {@link OverlayView.Link}. Either end may be
 * missing: the peer may not report, may be offline, or may not have noticed the link yet.
 */
final class LinkMerge {

    private LinkMerge() {
    }

    /**
     * @param x     one node's ID
     * @param fromX x's report of its link to y, or null
     * @param y     the other node's ID
     * @param fromY y's report of its link to x, or null
     * @return the merged link, or null when neither end reports one
     */
    static OverlayView.Link merge(String x, NodeStatus.Link fromX, String y, NodeStatus.Link fromY) {
        if (fromX == null && fromY == null) {
            return null;
        }
        // Orient the link from the end that asked for it, so a successor chord points clockwise.
        boolean xAsked = fromX != null ? "outbound".equals(fromX.direction()) : !"outbound".equals(fromY.direction());
        String a = xAsked ? x : y;
        String b = xAsked ? y : x;
        NodeStatus.Link la = xAsked ? fromX : fromY;
        NodeStatus.Link lb = xAsked ? fromY : fromX;
        NodeStatus.Link first = la != null ? la : lb;
        NodeStatus.Link other = la != null ? lb : null;
        String kind = first.role();
        String type = first.type() != null ? first.type() : other == null ? null : other.type();
        String state = "up".equals(first.state()) || other != null && "up".equals(other.state()) ? "up" : first.state();
        double rtt = meanRtt(la, lb);
        long ab = la != null ? la.bytesOut() : lb.bytesIn();
        long ba = la != null ? la.bytesIn() : lb.bytesOut();
        long age = Math.max(la == null ? 0 : la.ageSeconds(), lb == null ? 0 : lb.ageSeconds());
        return new OverlayView.Link(a, b, kind, type, state, rtt, ab, ba, age, (la == null ? 0 : 1) + (lb == null ? 0 : 1));
    }

    private static double meanRtt(NodeStatus.Link p, NodeStatus.Link q) {
        double sum = 0;
        int n = 0;
        for (NodeStatus.Link l : new NodeStatus.Link[] {p, q}) {
            if (l != null && l.rttMillis() >= 0) {
                sum += l.rttMillis();
                n++;
            }
        }
        return n == 0 ? -1 : sum / n;
    }
}
