package org.symphonet.overlay.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 address with prefix length ({@code 10.0.0.1/24}) to put on the bridge's
 * internal port, so the host itself is a leaf of the overlay.
 */
public record BridgeAddress(InetAddress address, int prefixLength) {

    private static final Pattern V4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern V6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    public BridgeAddress {
        int max = address.getAddress().length * 8;
        if (prefixLength < 1 || prefixLength > max) {
            throw new IllegalArgumentException("prefix length must be 1.." + max + ", got " + prefixLength);
        }
    }

    /** Parses CIDR text without ever touching DNS (InetAddress.getByName would resolve names). */
    static BridgeAddress parse(String key, String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new ConfigValueException(key, "must be an address with prefix length like 10.0.0.1/24, got '"
                    + text + "'");
        }
        String addr = text.substring(0, slash);
        String len = text.substring(slash + 1);
        if (!(V4.matcher(addr).matches() || V6.matcher(addr).matches()) || !len.matches("\\d{1,3}")) {
            throw new ConfigValueException(key, "must be an address with prefix length like 10.0.0.1/24, got '"
                    + text + "'");
        }
        if (V4.matcher(addr).matches()) {
            for (String part : addr.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    throw new ConfigValueException(key, "bad IPv4 address '" + addr + "'");
                }
            }
        }
        try {
            return new BridgeAddress(InetAddress.getByName(addr), Integer.parseInt(len));
        } catch (UnknownHostException e) {
            throw new ConfigValueException(key, "bad IP address '" + addr + "'");
        } catch (IllegalArgumentException e) {
            throw new ConfigValueException(key, e.getMessage());
        }
    }

    @Override
    public String toString() {
        return address.getHostAddress() + "/" + prefixLength;
    }
}
