package org.symphonet.overlay.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;


/**
 * Where the node sends its status for the overlay-wide dashboard ({@code symphonet collector}).
 *
 * @param url       the collector's base URL ({@code http://host:port} or {@code https://...}, optionally
 *                  with a path prefix when it sits behind a reverse proxy); reports go to
 *                  {@code <url>/api/v1/report}
 * @param tokenFile file holding the shared bearer token (the collector's {@code --token-file}); kept out
 *                  of node.yaml so the config can be shown around without leaking it
 * @param interval  time between two reports; the collector forgets a node after three missed ones
 */
public record ReportConfig(URI url, Path tokenFile, Duration interval) {

    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
    public static final Duration MIN_INTERVAL = Duration.ofSeconds(1);
    public static final Duration MAX_INTERVAL = Duration.ofHours(1);

    public ReportConfig {
        Check.required("url", url);
        checkUrl(url.toString());
        Check.required("token-file", tokenFile);
        Check.required("interval", interval);
        DurationText.within("interval", interval, MIN_INTERVAL, MAX_INTERVAL);
    }

    static ReportConfig read(YamlTree.Node node) {
        Fields f = Fields.of(node, "url", "token-file", "interval");
        return fromYaml(f.text("url"), f.text("token-file"), f.text("interval"));
    }

    static ReportConfig fromYaml(String url,
                                 String tokenFile,
                                 String interval) {
        Check.nonBlank("url", url);
        if (tokenFile == null || tokenFile.isBlank() || tokenFile.indexOf('\0') >= 0) {
            throw new ConfigValueException("token-file", tokenFile == null ? "is required"
                    : "must be a file path, got '" + tokenFile + "'");
        }
        Duration d = DurationText.parse("interval", interval);
        return new ReportConfig(checkUrl(url), Path.of(tokenFile), d == null ? DEFAULT_INTERVAL : d);
    }

    /** The endpoint reports are posted to. */
    public URI reportUri() {
        String base = url.toString();
        return URI.create(base.endsWith("/") ? base + "api/v1/report" : base + "/api/v1/report");
    }

    ReportConfig withTokenFile(Path resolved) {
        return new ReportConfig(url, resolved, interval);
    }

    private static URI checkUrl(String text) {
        URI u;
        try {
            u = new URI(text);
        } catch (URISyntaxException e) {
            throw new ConfigValueException("url", "must be a URL like http://collector.example.org:9420, got '" + text
                    + "' (" + e.getReason() + ")");
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new ConfigValueException("url", "must start with http:// or https://, got '" + text + "'");
        }
        if (u.getHost() == null || u.getHost().isEmpty()) {
            throw new ConfigValueException("url", "must name a host, got '" + text + "'");
        }
        if (u.getRawUserInfo() != null) {
            throw new ConfigValueException("url", "must not carry credentials; the token goes in token-file");
        }
        if (u.getPath() != null && u.getPath().replaceAll("/+$", "").endsWith("/api/v1/report")) {
            throw new ConfigValueException("url", "must be the collector's base URL (without /api/v1/report), got '" + text + "'");
        }
        if (u.getRawQuery() != null || u.getRawFragment() != null) {
            throw new ConfigValueException("url", "must not have a query or fragment, got '" + text + "'");
        }
        return u;
    }
}
