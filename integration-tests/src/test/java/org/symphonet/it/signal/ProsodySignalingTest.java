package org.symphonet.it.signal;

import java.util.List;
import java.util.Map;

import org.symphonet.it.testbed.Requirements;

/** The signaling contract against Prosody (Debian package), the overlay's reference server. */
class ProsodySignalingTest extends SignalingContract {

    @Override
    XmppServer createServer(String domain, Map<String, String> accounts, List<String> group) throws Exception {
        Requirements.require("prosody", "prosodyctl", "setpriv");
        requireUser("prosody");
        ProsodyServer s = ProsodyServer.create(domain, accounts, group);
        s.start();
        return s;
    }
}
