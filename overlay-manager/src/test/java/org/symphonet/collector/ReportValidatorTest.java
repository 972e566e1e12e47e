package org.symphonet.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.symphonet.overlay.report.NodeReport;

import com.fasterxml.jackson.databind.ObjectMapper;

class ReportValidatorTest {

    private final ReportValidator validator = new ReportValidator();
    private final String good;

    ReportValidatorTest() throws Exception {
        good = new ObjectMapper().writeValueAsString(Reports.report(1, 7, "lab",
                Reports.up(2, "successor", "outbound", "direct"), Reports.negotiating(3, "on-demand", "inbound")));
    }

    private NodeReport parse(String text) throws ReportValidator.BadReport {
        return validator.parse(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void whatTheNodeSendsIsAccepted() throws Exception {
        NodeReport r = parse(good);
        assertEquals(7, r.seq());
        assertEquals(Reports.id(1), r.status().node());
        assertEquals(2, r.status().overlays().get(0).links().size());
    }

    @Test
    void unknownFieldsFromNewerNodesAreIgnored() throws Exception {
        assertEquals(7, parse(good.replaceFirst("\\{", "{\"future\":{\"x\":1},")).seq());
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(delimiter = '|', value = {
            "'\"schema\":1'                     | '\"schema\":2'                       | schema: 2 is not supported",
            "'\"seq\":7'                        | '\"seq\":0'                          | seq: must be >= 1",
            "'\"intervalMillis\":1000'          | '\"intervalMillis\":5'               | intervalMillis: must be between",
            "'\"intervalMillis\":1000'          | '\"intervalMillis\":\"1000\"'        | intervalMillis",
            "'\"node\":\"00000000000000000000000000000001\"' | '\"node\":\"xyz\"'            | status.node: must be a node ID",
            "'\"version\":\"0.1.0\"'            | '\"version\":\"\"'                   | status.version",
            "'\"id\":\"lab\"'                   | '\"id\":\"Lab Overlay\"'             | status.overlays[0].id: must be an overlay ID",
            "'\"role\":\"successor\"'           | '\"role\":\"friend\"'                | status.overlays[0].links[0].role: must be one of",
            "'\"type\":\"direct\"'              | '\"type\":\"carrier-pigeon\"'        | status.overlays[0].links[0].type",
            "'\"bytesIn\":100'                  | '\"bytesIn\":-100'                   | status.overlays[0].links[0].bytesIn: must be >= 0",
            "'\"rttMillis\":1.5'                | '\"rttMillis\":-7'                   | status.overlays[0].links[0].rttMillis",
            "'\"peer\":\"00000000000000000000000000000002\"' | '\"peer\":\"00000000000000000000000000000001\"' | cannot link to itself",
            "'\"leafMacs\":1'                   | '\"leafMacs\":true'                  | status.overlays[0].leafMacs",
            "'\"frb_sent\":5'                   | '\"frb_sent\":-5'                    | switchCounters.frb_sent",
            "'\"links\":['                      | '\"links\":7,\"x\":['                | status.overlays[0].links",
    })
    void aBadFieldIsNamedInTheMessage(String from, String to, String expected) {
        assertTrue(good.contains(from), "fixture has " + from);
        ReportValidator.BadReport e = assertThrows(ReportValidator.BadReport.class, () -> parse(good.replaceFirst(
                java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to))));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void brokenOrEmptyBodiesAreRefusedClearly() {
        assertTrue(assertThrows(ReportValidator.BadReport.class, () -> parse("")).getMessage().contains("empty"));
        assertTrue(assertThrows(ReportValidator.BadReport.class, () -> parse("{\"schema\":1,")).getMessage()
                .contains("malformed JSON"));
        assertThrows(ReportValidator.BadReport.class, () -> parse(good + "{}"), "trailing data");
        assertTrue(assertThrows(ReportValidator.BadReport.class, () -> parse("null")).getMessage().contains("null"));
        assertTrue(assertThrows(ReportValidator.BadReport.class, () -> parse("[1,2]")).getMessage().length() > 0);
        assertTrue(assertThrows(ReportValidator.BadReport.class, () -> parse("{\"schema\":1,\"seq\":1,\"intervalMillis\":1000}"))
                .getMessage().contains("status"));
        assertTrue(assertThrows(ReportValidator.BadReport.class,
                () -> validator.parse(new byte[ReportValidator.MAX_BYTES + 1])).getMessage().contains("larger"));
    }

    @Test
    void duplicateOverlaysAndTooManyLinksAreRefused() throws Exception {
        String two = good.replace("\"overlays\":[{", "\"overlays\":[{\"id\":\"lab\",\"bridge\":\"b\",\"members\":1,\"ringGap\":false,"
                + "\"links\":[],\"traffic\":[],\"leafMacs\":0,\"switchCounters\":{}},{");
        String message = assertThrows(ReportValidator.BadReport.class, () -> parse(two)).getMessage();
        assertTrue(message.contains("appears twice"), message);
    }

    @Test
    void badTrafficEntriesAreRefused() throws Exception {
        String bad = good.replace("\"traffic\":[]", "\"traffic\":[{\"peer\":\"xyz\",\"bytesPerSecond\":1.0,\"ageSeconds\":1}]");
        assertTrue(bad.contains("xyz"), "the sample report carries a traffic list");
        String message = assertThrows(ReportValidator.BadReport.class, () -> parse(bad)).getMessage();
        assertTrue(message.contains("traffic[0].peer"), message);
        String negative = good.replace("\"traffic\":[]", "\"traffic\":[{\"peer\":\"" + "a".repeat(32)
                + "\",\"bytesPerSecond\":-5.0,\"ageSeconds\":1}]");
        message = assertThrows(ReportValidator.BadReport.class, () -> parse(negative)).getMessage();
        assertTrue(message.contains("bytesPerSecond"), message);
    }
}
