/**
 * Signaling over XMPP (DESIGN.md §3). {@link org.symphonet.overlay.signal.SignalCodec} is the
 * strict JSON codec of link-request/accept/reject/close, the trust boundary for peer input;
 * {@link org.symphonet.overlay.signal.XmppSignaling} is the Smack session: presence with node ID
 * and overlays, roster-based trust, messages, reconnect with backoff.
 */
package org.symphonet.overlay.signal;
