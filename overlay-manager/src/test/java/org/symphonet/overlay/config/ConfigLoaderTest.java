package org.symphonet.overlay.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {

    private static final Path FILE = Path.of("node.yaml");
    private final ConfigLoader loader = new ConfigLoader();

    static final String MINIMAL = """
            xmpp:
              jid: node1@example.org
              password: secret
            overlays:
              - id: lan1
                bridge: symbr0
            """;

    private static final String FULL = """
            state-dir: /var/lib/sym
            status-port: 9999
            xmpp:
              jid: node1@example.org
              password: secret
              server: 10.0.0.5
              port: 5322
              tls: if-offered
              resource: host-a
            ice:
              stun:
                - host: stun.example.org
                - host: 10.0.0.6
                  port: 3479
              turn:
                - host: turn.example.org
                  username: u
                  password: p
                  transport: tcp
            overlays:
              - id: lan1
                bridge: symbr0
                bridge-ip: 10.10.0.1/24
                mtu: 1400
                successors: 3
                shortcuts: 4
                max-shortcuts: 5
                max-links: 20
                on-demand:
                  enabled: false
                  threshold: 500000
                  idle: 2m
                  max-links: 2
              - id: lan2
                bridge: symbr1
                bridge-ip: fd00::1/64
            """;

    private NodeConfig parse(String yaml) throws ConfigException {
        return loader.parse(FILE, yaml);
    }

    private ConfigException fails(String yaml) {
        return assertThrows(ConfigException.class, () -> parse(yaml));
    }

    @Test
    void minimalFileGetsEveryDefault() throws Exception {
        NodeConfig c = parse(MINIMAL);
        assertEquals(NodeConfig.DEFAULT_STATE_DIR, c.stateDir());
        assertEquals(9410, c.statusPort());
        assertEquals("example.org", c.xmpp().server());
        assertEquals(5222, c.xmpp().port());
        assertEquals(TlsMode.REQUIRED, c.xmpp().tls());
        assertEquals("symphonet", c.xmpp().resource());
        assertTrue(c.ice().stun().isEmpty());
        assertTrue(c.ice().turn().isEmpty());
        OverlayConfig o = c.overlays().get(0);
        assertEquals("lan1", o.id());
        assertEquals("symbr0", o.bridge());
        assertTrue(o.bridgeIp().isEmpty());
        assertEquals(1500, o.mtu());
        assertEquals(2, o.successors());
        assertEquals(OptionalInt.empty(), o.shortcuts());
        assertEquals(6, o.maxShortcuts());
        assertEquals(32, o.maxLinks());
        assertEquals(OnDemandConfig.DEFAULT, o.onDemand());
        assertEquals(Duration.ofSeconds(60), o.onDemand().idle());
    }

    @Test
    void fullFileKeepsEveryValue() throws Exception {
        NodeConfig c = parse(FULL);
        assertEquals(Path.of("/var/lib/sym"), c.stateDir());
        assertEquals(9999, c.statusPort());
        assertEquals("10.0.0.5", c.xmpp().server());
        assertEquals(5322, c.xmpp().port());
        assertEquals(TlsMode.IF_OFFERED, c.xmpp().tls());
        assertEquals("host-a", c.xmpp().resource());
        assertEquals(new StunServer("stun.example.org", 3478), c.ice().stun().get(0));
        assertEquals(new StunServer("10.0.0.6", 3479), c.ice().stun().get(1));
        TurnServer t = c.ice().turn().get(0);
        assertEquals(TurnServer.Transport.TCP, t.transport());
        assertEquals(3478, t.port());
        OverlayConfig o = c.overlays().get(0);
        assertEquals("10.10.0.1/24", o.bridgeIp().orElseThrow().toString());
        assertEquals(1400, o.mtu());
        assertEquals(3, o.successors());
        assertEquals(OptionalInt.of(4), o.shortcuts());
        assertEquals(5, o.maxShortcuts());
        assertEquals(20, o.maxLinks());
        assertFalse(o.onDemand().enabled());
        assertEquals(500000, o.onDemand().threshold());
        assertEquals(Duration.ofMinutes(2), o.onDemand().idle());
        assertEquals(2, o.onDemand().maxLinks());
        assertEquals(64, c.overlays().get(1).bridgeIp().orElseThrow().prefixLength());
        assertTrue(c.overlay("lan2").isPresent());
        assertTrue(c.overlay("nope").isEmpty());
    }

    @Test
    void unknownTopLevelKeyNamesKeyFileAndLine() {
        ConfigException e = fails(MINIMAL + "statusport: 1\n");
        assertEquals("statusport", e.key());
        assertEquals(7, e.line());
        assertTrue(e.getMessage().startsWith("node.yaml:7:"), e.getMessage());
        assertTrue(e.getMessage().contains("known keys here"), e.getMessage());
        assertTrue(e.getMessage().contains("status-port"), e.getMessage());
    }

    @Test
    void unknownNestedKeyNamesItsFullPath() {
        ConfigException e = fails(MINIMAL + "    sucessors: 3\n");
        assertEquals("overlays[0].sucessors", e.key());
        assertEquals(7, e.line());
    }

    @Test
    void badValueInSecondOverlayPointsAtItsLine() {
        ConfigException e = fails(FULL.replace("bridge-ip: fd00::1/64", "bridge-ip: fd00::1/64\n    mtu: 100"));
        assertEquals("overlays[1].mtu", e.key());
        assertEquals(37, e.line());
        assertTrue(e.getMessage().contains("between 1280 and 9000"), e.getMessage());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "    successors: 0                 | overlays[0].successors    | between 1 and 16",
            "    successors: 17                | overlays[0].successors    | between 1 and 16",
            "    successors: two               | overlays[0].successors    | ",
            "    successors: 2.5               | overlays[0].successors    | ",
            "    successors: '2'               | overlays[0].successors    | ",
            "    mtu: 9001                     | overlays[0].mtu           | between 1280 and 9000",
            "    shortcuts: many               | overlays[0].shortcuts     | 'auto' or a whole number",
            "    shortcuts: -1                 | overlays[0].shortcuts     | between 0",
            "    shortcuts: 7                  | overlays[0].shortcuts     | between 0 and 6",
            "    max-shortcuts: 65             | overlays[0].max-shortcuts | between 0 and 64",
            "    max-links: 3                  | overlays[0].max-links     | between 4 and 4096",
            "    bridge-ip: 10.0.0.1           | overlays[0].bridge-ip     | prefix length",
            "    bridge-ip: 10.0.0.300/24      | overlays[0].bridge-ip     | bad IPv4",
            "    bridge-ip: 10.0.0.1/33        | overlays[0].bridge-ip     | prefix length must be 1..32",
            "    bridge-ip: example.org/24     | overlays[0].bridge-ip     | prefix length",
            "    on-demand: {idle: soon}       | overlays[0].on-demand.idle | duration",
            "    on-demand: {idle: 0s}         | overlays[0].on-demand.idle | between 1s and",
            "    on-demand: {threshold: 0}     | overlays[0].on-demand.threshold | between 1 and",
            "    on-demand: {enabled: 'yes'}   | overlays[0].on-demand.enabled | ",
            "    on-demand: {max-links: -2}    | overlays[0].on-demand.max-links | between 0 and",
            "    on-demand: {rate: 5}          | overlays[0].on-demand.rate | unknown key",
            "    on-demand: 5                  | overlays[0].on-demand     | ",
            "    mtu: 99999999999              | overlays[0].mtu           | out of range",
            "    mtu: [1500]                   | overlays[0].mtu           | expected a whole number",
            "    shortcuts: [1]                | overlays[0].shortcuts     | 'auto' or a whole number",
            "    on-demand: {idle: [1]}        | overlays[0].on-demand.idle | expected text",
    })
    void badOverlayValues(String line, String key, String text) {
        ConfigException e = fails(MINIMAL + "    " + line + "\n");
        assertEquals(key, e.key(), e.getMessage());
        assertEquals(7, e.line(), e.getMessage());
        if (text != null) {
            assertTrue(e.getMessage().contains(text), e.getMessage());
        }
        assertTrue(e.getMessage().startsWith("node.yaml:7"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "jid: node1                   | xmpp.jid      | bare JID",
            "jid: node1@example.org/res   | xmpp.jid      | bare JID",
            "password: ''                 | xmpp.password | must not be empty",
            "port: 0                      | xmpp.port     | between 1 and 65535",
            "port: 70000                  | xmpp.port     | between 1 and 65535",
            "tls: maybe                   | xmpp.tls      | bad value 'maybe'",
            "server: 'http://x'           | xmpp.server   | host name",
            "resource: 'a b'              | xmpp.resource | 1-64 characters",
    })
    void badXmppValues(String replacement, String key, String text) {
        String field = replacement.substring(0, replacement.indexOf(':'));
        String yaml = field.equals("jid") || field.equals("password")
                ? MINIMAL.replaceFirst(field + ": \\S+", replacement)
                : MINIMAL.replace("  password: secret\n", "  password: secret\n  " + replacement + "\n");
        ConfigException e = fails(yaml);
        assertEquals(key, e.key(), e.getMessage());
        assertTrue(e.getMessage().contains(text), e.getMessage());
        assertTrue(e.line() >= 2 && e.line() <= 4, e.getMessage());
    }

    @Test
    void serverListKeepsItsOrderAndOneServerIsTheOneElementList() throws Exception {
        NodeConfig c = parse(MINIMAL.replace("  password: secret\n",
                "  password: secret\n  servers:\n    - xmpp1.example.org\n    - 10.0.0.7\n"));
        assertEquals(java.util.List.of("xmpp1.example.org", "10.0.0.7"), c.xmpp().servers());
        assertEquals("xmpp1.example.org", c.xmpp().server());
        assertEquals(java.util.List.of("10.0.0.5"), parse(FULL).xmpp().servers());
        assertEquals(java.util.List.of("example.org"), parse(MINIMAL).xmpp().servers());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "servers: []                            | xmpp.servers    | 3 | at least one",
            "servers: [a.example.org, 'http://x']   | xmpp.servers[1] | 3 | host name",
            "servers: [a.example.org, A.example.org] | xmpp.servers[1] | 3 | duplicates servers[0]",
            "servers: [a.example.org, ~]            | xmpp.servers[1] | 3 | is empty",
            "servers: a.example.org                 | xmpp.servers    | 3 | ",
            "servers: [{host: a}]                   | xmpp.servers[0] | 3 | ",
    })
    void badServerLists(String line, String key, int lineNr, String text) {
        ConfigException e = fails(MINIMAL.replace("  password: secret\n", "  password: secret\n  " + line + "\n")
                .replace("  jid: node1@example.org\n", "  jid: node1@example.org\n"));
        assertTrue(e.key().startsWith(key), e.key() + ": " + e.getMessage());
        assertEquals(lineNr + 1, e.line(), e.getMessage());
        assertTrue(e.getMessage().startsWith("node.yaml:" + (lineNr + 1) + ":"), e.getMessage());
        if (text != null) {
            assertTrue(e.getMessage().contains(text), e.getMessage());
        }
    }

    @Test
    void serverAndServersTogetherIsAnErrorNamingTheList() {
        ConfigException e = fails(MINIMAL.replace("  password: secret\n",
                "  password: secret\n  server: a.example.org\n  servers:\n    - b.example.org\n"));
        assertEquals("xmpp.servers", e.key(), e.getMessage());
        assertEquals(5, e.line(), e.getMessage());
        assertTrue(e.getMessage().contains("not both"), e.getMessage());
    }

    @Test
    void missingRequiredKeysAreNamed() {
        assertEquals("xmpp", fails("overlays:\n  - id: a\n    bridge: b\n").key());
        assertEquals("overlays", fails(MINIMAL.substring(0, MINIMAL.indexOf("overlays"))).key());
        assertEquals("xmpp.password", fails(MINIMAL.replace("  password: secret\n", "")).key());
        ConfigException e = fails(MINIMAL.replace("    bridge: symbr0\n", ""));
        assertEquals("overlays[0].bridge", e.key());
        assertEquals(5, e.line(), "reported at the overlay entry");
        assertEquals("overlays[0].id", fails(MINIMAL.replace("  - id: lan1\n", "  - \n")).key());
    }

    @Test
    void emptyOverlayListAndEmptyEntries() {
        assertEquals("overlays", fails(MINIMAL.substring(0, MINIMAL.indexOf("overlays")) + "overlays: []\n").key());
        assertTrue(fails(MINIMAL.substring(0, MINIMAL.indexOf("overlays")) + "overlays:\n  -\n").key()
                .startsWith("overlays"));
    }

    @Test
    void duplicateOverlayIdAndBridge() {
        ConfigException e = fails(MINIMAL + "  - id: lan1\n    bridge: symbr9\n");
        assertEquals("overlays[1].id", e.key());
        assertEquals(7, e.line());
        e = fails(MINIMAL + "  - id: lan2\n    bridge: symbr0\n");
        assertEquals("overlays[1].bridge", e.key());
        assertEquals(8, e.line());
    }

    @Test
    void duplicateKeyIsAnError() {
        ConfigException e = fails(MINIMAL.replace("  password: secret\n", "  password: secret\n  password: other\n"));
        assertTrue(e.getMessage().contains("password"), e.getMessage());
        assertEquals(4, e.line(), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "id: LAN1       | overlays[0].id",
            "id: -lan       | overlays[0].id",
            "id: 'a b'      | overlays[0].id",
            "id: abcdefghijklmnopqrstuvwxyz0123456 | overlays[0].id",
            "bridge: averyveryverylongname | overlays[0].bridge",
            "bridge: 'br 0' | overlays[0].bridge",
    })
    void badOverlayIdsAndBridges(String replacement, String key) {
        String field = replacement.substring(0, replacement.indexOf(':'));
        String yaml = MINIMAL.replaceFirst("(?m)^(  - |    )" + field + ": \\S+", "$1" + replacement);
        assertEquals(key, fails(yaml).key());
    }

    @Test
    void badIceEntries() {
        String base = MINIMAL + "ice:\n";
        assertEquals("ice.stun[0].host", fails(base + "  stun:\n    - port: 3478\n").key());
        assertEquals("ice.stun[0].port", fails(base + "  stun:\n    - host: a\n      port: 0\n").key());
        assertEquals("ice.stun[0]", fails(base + "  stun:\n    - stun.example.org\n").key());
        assertEquals("ice.turn[0].username", fails(base + "  turn:\n    - host: t\n      password: p\n").key());
        assertEquals("ice.turn[0].transport",
                fails(base + "  turn:\n    - {host: t, username: u, password: p, transport: sctp}\n").key());
        assertEquals("ice.turns", fails(base + "  turns: []\n").key());
        assertEquals("ice.stun[1]", fails(base + "  stun:\n    - host: a\n    -\n").key());
    }

    @Test
    void topLevelProblems() {
        assertEquals("status-port", fails(MINIMAL + "status-port: -1\n").key());
        assertEquals("state-dir", fails(MINIMAL + "state-dir: ''\n").key());
        assertThrows(ConfigException.class, () -> parse(""));
        assertThrows(ConfigException.class, () -> parse("- a\n- b\n"));
        assertThrows(ConfigException.class, () -> parse("xmpp: [\n"));
        assertThrows(ConfigException.class, () -> parse("\t\u0000garbage: : :\n"));
        assertThrows(ConfigException.class, () -> parse(MINIMAL + "---\nother: doc\n"));
    }

    @Test
    void shortcutsDefaultToLog2CappedByMax() throws Exception {
        OverlayConfig o = parse(MINIMAL).overlays().get(0);
        assertEquals(0, o.shortcutCount(1));
        assertEquals(1, o.shortcutCount(2));
        assertEquals(1, o.shortcutCount(3));
        assertEquals(3, o.shortcutCount(8));
        assertEquals(3, o.shortcutCount(15));
        assertEquals(6, o.shortcutCount(1000), "capped by max-shortcuts");
        OverlayConfig fixed = parse(MINIMAL + "    shortcuts: 2\n").overlays().get(0);
        assertEquals(2, fixed.shortcutCount(1000));
        assertEquals(OptionalInt.empty(), parse(MINIMAL + "    shortcuts: auto\n").overlays().get(0).shortcuts());
    }

    @Test
    void durationsAcceptOperatorForms() throws Exception {
        for (String[] c : new String[][] {{"1500ms", "PT1.5S"}, {"45", "PT45S"}, {"45s", "PT45S"}, {"3m", "PT3M"},
                {"2h", "PT2H"}}) {
            NodeConfig n = parse(MINIMAL + "    on-demand: {idle: " + c[0] + "}\n");
            assertEquals(Duration.parse(c[1]), n.overlays().get(0).onDemand().idle(), c[0]);
        }
        assertEquals("90s", DurationText.format(Duration.ofSeconds(90)));
        assertEquals("2m", DurationText.format(Duration.ofSeconds(120)));
        assertEquals("250ms", DurationText.format(Duration.ofMillis(250)));
    }

    @Test
    void loadResolvesRelativeStateDirAgainstTheFile(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("node.yaml");
        Files.writeString(f, MINIMAL + "state-dir: state\n");
        assertEquals(dir.resolve("state").toAbsolutePath(), loader.load(f).stateDir());
        ConfigException e = assertThrows(ConfigException.class, () -> loader.load(dir.resolve("missing.yaml")));
        assertTrue(e.getMessage().contains("missing.yaml"), e.getMessage());
        Files.write(f, new byte[] {'x', ':', ' ', (byte) 0xff, (byte) 0xfe, '\n'});
        assertThrows(ConfigException.class, () -> loader.load(f));
    }

    @Test
    void caFileIsResolvedAgainstTheConfigDirAndNeedsTls(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("node.yaml");
        Files.writeString(f, MINIMAL.replace("  password: secret\n", "  password: secret\n  ca-file: ca.pem\n"));
        assertEquals(java.util.Optional.of(dir.resolve("ca.pem").toAbsolutePath()), loader.load(f).xmpp().caFile());
        ConfigException e = fails(MINIMAL.replace("  password: secret\n",
                "  password: secret\n  tls: disabled\n  ca-file: /etc/ca.pem\n"));
        assertEquals("xmpp.ca-file", e.key());
        assertTrue(e.getMessage().contains("tls is disabled"), e.getMessage());
        assertEquals("xmpp.ca-file", fails(MINIMAL.replace("  password: secret\n", "  password: secret\n  ca-file: ''\n")).key());
    }

    @Test
    void presenceIntervalDefaultsToFiveMinutesAndIsBounded() throws Exception {
        assertEquals(Duration.ofMinutes(5), parse(MINIMAL).xmpp().presenceInterval());
        assertEquals(Duration.ofHours(1), parse(MINIMAL.replace("  password: secret\n",
                "  password: secret\n  presence-interval: 1h\n")).xmpp().presenceInterval());
        for (String bad : new String[] {"5s", "25h", "soon", "-1m"}) {
            ConfigException e = fails(MINIMAL.replace("  password: secret\n",
                    "  password: secret\n  presence-interval: " + bad + "\n"));
            assertEquals("xmpp.presence-interval", e.key(), bad);
            assertTrue(e.getMessage().contains(":4:"), e.getMessage()); // names the line of the key
        }
    }

    @Test
    void secretsStayOutOfToString() throws Exception {
        NodeConfig c = parse(FULL);
        assertFalse(c.toString().contains("secret"), c.toString());
        assertFalse(c.ice().turn().get(0).toString().contains("password"));
    }
}
