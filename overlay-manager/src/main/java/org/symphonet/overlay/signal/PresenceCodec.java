package org.symphonet.overlay.signal;

import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.jivesoftware.smack.packet.ExtensionElement;
import org.jivesoftware.smack.packet.StandardExtensionElement;
import org.symphonet.ofcontroller.view.NodeId;
import org.symphonet.overlay.config.OverlayIds;

/**
 * The presence extension: {@code <symphonet xmlns="urn:symphonet:presence:1" node="<32 hex>"
 * run="<16 hex>"><overlay id="lan1"/>...</symphonet>}. {@code run} is drawn at random when the
 * node process starts: a peer that sees it change knows the node restarted and that tunnels to
 * its previous run are dead, without waiting for their dead interval. It is optional on the wire
 * (absent reads as 0, "unknown"), so nodes without it still interoperate. Built and read as a
 * {@link StandardExtensionElement}, so no provider has to be registered in Smack's process-wide
 * provider table.
 */
public final class PresenceCodec {

    public static final String ELEMENT = "symphonet";
    public static final String NAMESPACE = "urn:symphonet:presence:1";
    static final int MAX_OVERLAYS = 64;
    private static final Pattern NODE_ID = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern RUN = Pattern.compile("[0-9a-f]{16}");

    /** What a presence announced; {@code run} 0 when the sender did not say. */
    public record Announcement(NodeId node, long run, Set<String> overlays) {
        public Announcement {
            overlays = Set.copyOf(overlays);
        }
    }

    private PresenceCodec() {
    }

    public static StandardExtensionElement encode(NodeId node, long run, Set<String> overlays) {
        StandardExtensionElement.Builder b = StandardExtensionElement.builder(ELEMENT, NAMESPACE)
                .addAttribute("node", node.toString());
        if (run != 0) {
            b.addAttribute("run", String.format("%016x", run));
        }
        for (String o : overlays) {
            b.addElement(StandardExtensionElement.builder("overlay", NAMESPACE).addAttribute("id", o).build());
        }
        return b.build();
    }

    /** The announcement, or empty with the reason logged by the caller when anything is off. */
    public static Optional<Announcement> decode(ExtensionElement e, StringBuilder why) {
        if (!(e instanceof StandardExtensionElement s)) {
            why.append("presence extension of unexpected type ").append(e == null ? "null" : e.getClass().getSimpleName());
            return Optional.empty();
        }
        String node = s.getAttributeValue("node");
        if (node == null || !NODE_ID.matcher(node).matches()) {
            why.append("presence node attribute is not 32 lowercase hex digits");
            return Optional.empty();
        }
        String run = s.getAttributeValue("run");
        if (run != null && !RUN.matcher(run).matches()) {
            why.append("presence run attribute is not 16 lowercase hex digits");
            return Optional.empty();
        }
        Set<String> overlays = new LinkedHashSet<>();
        for (StandardExtensionElement child : s.getElements()) {
            String id = child.getAttributeValue("id");
            if (!"overlay".equals(child.getElementName()) || !OverlayIds.isValid(id)) {
                why.append("presence has a malformed overlay element");
                return Optional.empty();
            }
            overlays.add(id);
        }
        if (overlays.size() > MAX_OVERLAYS) {
            why.append("presence lists more than ").append(MAX_OVERLAYS).append(" overlays");
            return Optional.empty();
        }
        return Optional.of(new Announcement(NodeId.parse(node), run == null ? 0 : Long.parseUnsignedLong(run, 16),
                overlays));
    }
}
