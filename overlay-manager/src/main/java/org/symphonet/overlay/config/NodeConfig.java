package org.symphonet.overlay.config;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;


/**
 * Everything one node is told by its operator. Built only by {@link ConfigLoader} (or tests), so
 * every instance has passed validation.
 *
 * @param xmpp       account and server
 * @param ice        STUN and TURN servers
 * @param stateDir   where node ID, certificate and key live; relative paths are resolved against
 *                   the config file's directory by the loader
 * @param statusPort loopback port of the status endpoint; 0 turns the endpoint off
 * @param overlays   the overlays served, at least one, IDs and bridges distinct
 * @param report     where to send status reports for the dashboard; empty: no reporting
 */
public record NodeConfig(XmppConfig xmpp, IceConfig ice, Path stateDir, int statusPort,
                         List<OverlayConfig> overlays, Optional<ReportConfig> report) {

    public static final Path DEFAULT_STATE_DIR = Path.of("/var/lib/symphonet");
    public static final int DEFAULT_STATUS_PORT = 9410;

    public NodeConfig {
        Check.required("xmpp", xmpp);
        Check.required("ice", ice);
        Check.required("state-dir", stateDir);
        Check.range("status-port", statusPort, DEFAULT_STATUS_PORT, 0, 65535);
        overlays = Check.list("overlays", overlays);
        Check.required("report", report);
        if (overlays.isEmpty()) {
            throw new ConfigValueException("overlays", "must list at least one overlay");
        }
        Map<String, Integer> ids = new HashMap<>();
        Map<String, Integer> bridges = new HashMap<>();
        for (int i = 0; i < overlays.size(); i++) {
            Integer prev = ids.putIfAbsent(overlays.get(i).id(), i);
            if (prev != null) {
                throw new ConfigValueException("overlays[" + i + "].id", "duplicates overlays[" + prev + "].id '"
                        + overlays.get(i).id() + "'");
            }
            prev = bridges.putIfAbsent(overlays.get(i).bridge(), i);
            if (prev != null) {
                throw new ConfigValueException("overlays[" + i + "].bridge", "duplicates overlays[" + prev
                        + "].bridge '" + overlays.get(i).bridge() + "': every overlay needs its own bridge");
            }
        }
    }

    /** Binds the document's root mapping (ConfigLoader). */
    static NodeConfig read(YamlTree.Node node) {
        Fields f = Fields.of(node, "xmpp", "ice", "state-dir", "status-port", "overlays", "report");
        return fromYaml(f.record("xmpp", XmppConfig::read), f.record("ice", IceConfig::read), f.text("state-dir"),
                f.integer("status-port"), f.list("overlays", OverlayConfig::read), f.record("report", ReportConfig::read));
    }

    static NodeConfig fromYaml(XmppConfig xmpp,
                               IceConfig ice,
                               String stateDir,
                               Integer statusPort,
                               List<OverlayConfig> overlays,
                               ReportConfig report) {
        if (stateDir != null && (stateDir.isBlank() || stateDir.indexOf('\0') >= 0)) {
            throw new ConfigValueException("state-dir", "must be a directory path, got '" + stateDir + "'");
        }
        return new NodeConfig(Check.required("xmpp", xmpp), ice == null ? IceConfig.NONE : ice,
                stateDir == null ? DEFAULT_STATE_DIR : Path.of(stateDir),
                Check.range("status-port", statusPort, DEFAULT_STATUS_PORT, 0, 65535),
                Check.required("overlays", overlays), Optional.ofNullable(report));
    }

    public Optional<OverlayConfig> overlay(String id) {
        return overlays.stream().filter(o -> o.id().equals(id)).findFirst();
    }

    /** Without reporting, as most tests build it. */
    public NodeConfig(XmppConfig xmpp, IceConfig ice, Path stateDir, int statusPort, List<OverlayConfig> overlays) {
        this(xmpp, ice, stateDir, statusPort, overlays, Optional.empty());
    }

    /** Relative paths (state dir, CA file, token file) resolved against {@code dir}, the config file's directory. */
    NodeConfig resolvedAgainst(Path dir) {
        XmppConfig x = xmpp.caFile().filter(f -> !f.isAbsolute())
                .map(f -> xmpp.withCaFile(dir.resolve(f).normalize())).orElse(xmpp);
        Path state = stateDir.isAbsolute() ? stateDir : dir.resolve(stateDir).normalize();
        Optional<ReportConfig> r = report.map(c -> c.tokenFile().isAbsolute() ? c
                : c.withTokenFile(dir.resolve(c.tokenFile()).normalize()));
        return new NodeConfig(x, ice, state, statusPort, overlays, r);
    }
}
