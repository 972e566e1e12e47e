package org.symphonet.it.node;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.symphonet.it.signal.EjabberdServer;

/**
 * The common whole-node checks (rings by the Symphony rule, all-pairs ping, broadcast once per
 * leaf) with ejabberd instead of Prosody: nodes speak standard XMPP, not one server's dialect.
 * Membership is the same mutual roster, made with ejabberd's add_rosteritem.
 */
class OverlayNodesEjabberdTest extends OverlayNodesBase {

    @Override
    String[] xmppCommands() {
        return new String[] {"ejabberdctl"};
    }

    @Override
    String prefixBase() {
        return "oe";
    }

    @Override
    AutoCloseable startXmpp() throws Exception {
        Map<String, String> accounts = new LinkedHashMap<>();
        List<String> group = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/run/symphonet-tb", tb.prefix(), "xmpp-accounts"))) {
            String[] f = line.trim().split("\\s+");
            accounts.put(f[0], f[1]);
            if (f.length > 2) {
                group.add(f[0]);
            }
        }
        return EjabberdServer.createIn(tb.ns("inet"), "10.200.0.1", 5222, "symphonet.test", accounts, group);
    }
}
