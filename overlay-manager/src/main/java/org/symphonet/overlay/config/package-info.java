/**
 * The node's YAML configuration: immutable, validated records built by
 * {@link org.symphonet.overlay.config.ConfigLoader}, which reports every problem with file, line
 * and key path. Keys and defaults are listed in {@code overlay-manager/CONFIG.md}.
 */
package org.symphonet.overlay.config;
