package org.symphonet.overlay.status;

/** Supplies a fresh snapshot per request; implemented by the node. Must be thread-safe and quick. */
@FunctionalInterface
public interface StatusSource {
    NodeStatus snapshot();
}
