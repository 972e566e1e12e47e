package org.symphonet.overlay.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReportConfigTest {

    private static final Path FILE = Path.of("node.yaml");
    private static final String BASE = ConfigLoaderTest.MINIMAL;

    private final ConfigLoader loader = new ConfigLoader();

    @Test
    void withoutReportKeyNothingIsReported() throws Exception {
        assertTrue(loader.parse(FILE, BASE).report().isEmpty());
    }

    @Test
    void reportKeysAreReadWithTheDefaultInterval() throws Exception {
        NodeConfig c = loader.parse(FILE, BASE + "report:\n  url: http://10.0.0.1:9420\n  token-file: /etc/symphonet/token\n");
        ReportConfig r = c.report().orElseThrow();
        assertEquals(URI.create("http://10.0.0.1:9420"), r.url());
        assertEquals(Path.of("/etc/symphonet/token"), r.tokenFile());
        assertEquals(ReportConfig.DEFAULT_INTERVAL, r.interval());
        assertEquals(URI.create("http://10.0.0.1:9420/api/v1/report"), r.reportUri());
    }

    @Test
    void aPathPrefixIsKeptForReverseProxies() throws Exception {
        ReportConfig r = loader.parse(FILE, BASE + "report:\n  url: https://ops.example.org/symphonet/\n"
                + "  token-file: t\n  interval: 30s\n").report().orElseThrow();
        assertEquals(URI.create("https://ops.example.org/symphonet/api/v1/report"), r.reportUri());
        assertEquals(Duration.ofSeconds(30), r.interval());
    }

    @Test
    void aRelativeTokenFileIsRelativeToTheConfigFile(@TempDir Path dir) throws Exception {
        Path cfg = dir.resolve("node.yaml");
        Files.writeString(cfg, BASE + "report:\n  url: http://c:9420\n  token-file: secrets/token\n");
        assertEquals(dir.resolve("secrets/token"), loader.load(cfg).report().orElseThrow().tokenFile());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "url: ftp://c:9420, token-file: t           | report.url        | http:// or https://",
            "url: 'c:9420', token-file: t               | report.url        | http:// or https://",
            "url: 'http://', token-file: t              | report.url        | ",
            "url: 'http://u:p@c:9420', token-file: t    | report.url        | credentials",
            "url: 'http://c:9420/?a=b', token-file: t   | report.url        | query",
            "url: 'http://c d', token-file: t           | report.url        | URL",
            "url: 'http://c:9420/api/v1/report', token-file: t | report.url | base URL",
            "url: '', token-file: t                     | report.url        | must not be empty",
            "token-file: t                              | report.url        | required",
            "url: http://c:9420                         | report.token-file | required",
            "url: http://c:9420, token-file: ''         | report.token-file | file path",
            "url: http://c:9420, token-file: t, interval: 0s     | report.interval | between 1s and 1h",
            "url: http://c:9420, token-file: t, interval: 2h     | report.interval | between 1s and 1h",
            "url: http://c:9420, token-file: t, interval: often  | report.interval | duration",
            "url: http://c:9420, token-file: t, every: 5s        | report.every    | unknown key",
    })
    void badReportValuesNameTheirKey(String body, String key, String text) {
        ConfigException e = assertThrows(ConfigException.class, () -> loader.parse(FILE, BASE + "report: {" + body + "}\n"));
        assertEquals(key, e.key(), e.getMessage());
        if (text != null) {
            assertTrue(e.getMessage().contains(text), e.getMessage());
        }
        assertTrue(e.getMessage().startsWith("node.yaml:7"), e.getMessage());
    }
}
