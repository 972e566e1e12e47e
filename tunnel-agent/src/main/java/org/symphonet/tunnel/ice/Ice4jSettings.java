package org.symphonet.tunnel.ice;

import org.symphonet.tunnel.AgentConfig;

/**
 * ice4j reads its settings once, from system properties, when its classes load;
 * so they are set here before the first {@code Agent} exists, and only if the
 * operator has not set them already.
 */
final class Ice4jSettings {

    private Ice4jSettings() {
    }

    static void applyOnce(AgentConfig.Ice ice) {
        // No cloud metadata probing: gathering must use only the configured servers.
        setIfAbsent("org.ice4j.ice.harvest.DISABLE_AWS_HARVESTER", "true");
        // Bridges named in the configuration carry the overlay itself: never a host candidate there.
        if (!ice.excludedInterfacePrefixes().isEmpty()) {
            setIfAbsent("org.ice4j.ice.harvest.BLOCKED_INTERFACES", String.join(";", ice.excludedInterfacePrefixes()));
        }
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
