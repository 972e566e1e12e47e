package org.symphonet.overlay.signal;

import org.jivesoftware.smack.provider.ProviderManager;
import org.jivesoftware.smackx.ping.packet.Ping;
import org.jivesoftware.smackx.ping.provider.PingProvider;

/**
 * Smack's start-up trimmed to what a node uses: core, TCP, roster and ping. Smack's extensions
 * initializer registers 186 stanza providers and makes every new connection create 21 managers a
 * node never uses (file transfer, multi-user chat, ad-hoc commands, entity capabilities, ...): about
 * 300 classes and 80 ms of CPU per node at start, when tens of nodes start on a small machine at
 * once. The one extension a node needs, ping (XEP-0199, {@code PingManager}), is registered here.
 * An operator's own {@code -Dsmack.disabledClasses} is kept as it is.
 */
final class SmackSetup {

    /** Smack reads this system property once, when it initialises (comma-separated class names). */
    static final String DISABLED_CLASSES = "smack.disabledClasses";
    static final String EXTENSIONS_INITIALIZER = "org.jivesoftware.smack.extensions.ExtensionsInitializer";

    private SmackSetup() {
    }

    /** Before anything touches Smack (the first use reads the property); idempotent. */
    static void prepare() {
        if (System.getProperty(DISABLED_CLASSES) == null) {
            System.setProperty(DISABLED_CLASSES, EXTENSIONS_INITIALIZER);
        }
        ProviderManager.addIQProvider(Ping.ELEMENT, Ping.NAMESPACE, new PingProvider());
    }
}
