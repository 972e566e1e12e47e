package org.symphonet.tunnel.tap;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

import org.symphonet.tunnel.NodeId;

/**
 * TAP names: at most 15 characters (IFNAMSIZ-1), stable for an (overlay, peer)
 * pair and readable in {@code ovs-vsctl show}:
 * {@code <prefix><2 overlay chars><2 hex of overlay hash>-<peer id head>},
 * e.g. {@code snov3f-1a2b3c4d}. The hash part keeps overlays that share a
 * leading pair of characters apart.
 */
public final class TapNames {
    public static final int MAX_LENGTH = 15;
    private static final Pattern IFNAME = Pattern.compile("[A-Za-z0-9_.-]{1,15}");
    private static final Pattern PREFIX = Pattern.compile("[a-z]{1,3}");

    private final String prefix;
    private final Pattern ours;

    public TapNames(String prefix) {
        if (!PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("TAP prefix must be 1-3 lowercase letters: " + prefix);
        }
        this.prefix = prefix;
        int peerChars = MAX_LENGTH - prefix.length() - 5;
        this.ours = Pattern.compile(Pattern.quote(prefix) + "[a-z0-9]{4}-[0-9a-f]{" + peerChars + "}");
    }

    public String prefix() {
        return prefix;
    }

    public String nameFor(String overlayId, NodeId peer) {
        String readable = overlayId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        readable = (readable + "xx").substring(0, 2);
        String hash = HexFormat.of().formatHex(sha256(overlayId)).substring(0, 2);
        String head = prefix + readable + hash + "-";
        return head + peer.hex().substring(0, MAX_LENGTH - head.length());
    }

    /** True for names this agent would create, so start-up clean-up never touches other ports. */
    public boolean isOurs(String ifName) {
        return ours.matcher(ifName).matches();
    }

    public static boolean isValidInterfaceName(String name) {
        return IFNAME.matcher(name).matches() && !name.equals(".") && !name.equals("..");
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
