package org.symphonet.overlay.signal;

/**
 * Totals of the node's XMPP connection since start, over all servers it used: stanzas of every kind
 * (presence, messages, IQs such as pings and roster pushes) and bytes on the wire, both directions.
 */
public record XmppTraffic(long stanzasIn, long stanzasOut, long bytesIn, long bytesOut) {

    public static final XmppTraffic NONE = new XmppTraffic(0, 0, 0, 0);
}
