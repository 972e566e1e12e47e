package org.symphonet.tunnel.ice;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** Parses IP literals without ever falling back to a DNS lookup. */
final class Literals {
    private static final Pattern V4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern V6 = Pattern.compile("[0-9a-fA-F:.]+(%\\w+)?");

    private Literals() {
    }

    static InetAddress parse(String s) {
        if (!V4.matcher(s).matches() && !(s.contains(":") && V6.matcher(s).matches())) {
            return null;
        }
        try {
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
