/**
 * The Symphony ring (DESIGN.md §5), pure and deterministic so a simulator can reuse it: which
 * links a node wants ({@link org.symphonet.overlay.topology.LinkSelector}), how to get there
 * gradually ({@link org.symphonet.overlay.topology.LinkPlanner}), what to answer an inbound request
 * ({@link org.symphonet.overlay.topology.Admission}), and one overlay's state between rounds
 * ({@link org.symphonet.overlay.topology.OverlayTopology}). No I/O, no threads, no clocks: time and
 * randomness are passed in.
 */
package org.symphonet.overlay.topology;
