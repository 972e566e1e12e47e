/**
 * The loopback status endpoint (DESIGN.md §7): JSON snapshot at {@code /status}, Prometheus text
 * at {@code /metrics}, both rendered from one immutable {@link org.symphonet.overlay.status.NodeStatus}.
 */
package org.symphonet.overlay.status;
