package org.symphonet.it.signal;

import java.util.List;
import java.util.Map;

import org.symphonet.it.testbed.Requirements;

/** The signaling contract against ejabberd (Debian package). */
class EjabberdSignalingTest extends SignalingContract {

    @Override
    XmppServer createServer(String domain, Map<String, String> accounts, List<String> group) throws Exception {
        Requirements.require("ejabberdctl", "setpriv");
        requireUser("ejabberd");
        return EjabberdServer.create(domain, accounts, group);
    }
}
