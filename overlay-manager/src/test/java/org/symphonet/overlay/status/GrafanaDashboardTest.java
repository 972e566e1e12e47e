package org.symphonet.overlay.status;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The shipped Grafana dashboard only queries metrics a node exports, so no panel stays empty by a typo. */
class GrafanaDashboardTest {

    private static final Path DASHBOARD = Path.of("../packaging/grafana/symphonet.json");

    @Test
    void everyQueriedMetricIsExported() throws Exception {
        JsonNode d = new ObjectMapper().readTree(Files.readString(DASHBOARD));
        assertTrue(d.path("panels").size() > 5, "panels");
        String exported = PrometheusText.render(PrometheusTextTest.full());
        Set<String> missing = new TreeSet<>();
        Matcher m = Pattern.compile("symphonet_[a-z0-9_]+").matcher(d.toString());
        int found = 0;
        while (m.find()) {
            found++;
            if (!exported.contains("# TYPE " + m.group() + " ")) {
                missing.add(m.group());
            }
        }
        assertTrue(found > 10, "the dashboard queries symphonet metrics");
        assertTrue(missing.isEmpty(), "queried but not exported: " + missing);
    }
}
