package org.symphonet.it.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.symphonet.it.testbed.Requirements;
import org.symphonet.it.testbed.Testbed;
import org.symphonet.it.testbed.Wait;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The dashboard in a real browser (Debian's headless Chromium through chromedriver) against a live
 * overlay: five real nodes on a namespace testbed report every 2 s to a collector beside Prosody.
 * The ring must show every node and every link the nodes themselves report up; a node killed with
 * SIGKILL must turn offline within a few report intervals. Screenshots land in target/.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest {

    private static final int NODES = 5;
    private static final String INTERVAL = "2s";
    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    private final Map<Integer, String> ids = new HashMap<>();
    private Testbed tb;
    private WebDriver browser;
    private String dashboard;
    private String mismatch = "";

    @BeforeAll
    void startOverlayCollectorAndBrowser() throws Exception {
        Requirements.require("ovs-vswitchd", "prosody", "prosodyctl", "setpriv", "nft", "java", "curl", "/usr/bin/python3",
                CHROMIUM, CHROMEDRIVER);
        Path built = Testbed.repoRoot().resolve("overlay-manager/target/symphonet.jar");
        assertTrue(Files.isRegularFile(built), "build the node first (mvn package): " + built);
        String jar = built.toString();
        tb = Testbed.start("zc" + Integer.toString(new Random().nextInt(36 * 36 * 36), 36));
        Testbed.Result net = tb.run(Duration.ofMinutes(3), "overlay_net", Integer.toString(NODES));
        assertTrue(net.ok(), "testbed: " + net.stderr() + net.stdout());
        dashboard = tb.must("overlay_collector", jar, Integer.toString(freePort()), INTERVAL).trim();
        for (int i = 0; i < NODES; i++) {
            tb.must("overlay_node_start", Integer.toString(i), jar);
        }
        Wait.until(Duration.ofSeconds(60), "every node to answer on its status port", () -> {
            for (int i = 0; i < NODES; i++) {
                JsonNode s = status(i);
                if (s == null) {
                    return false;
                }
                ids.put(i, s.path("node").asText());
            }
            return true;
        });
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-dev-shm-usage", "--window-size=1400,1000");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.get(dashboard);
    }

    @AfterAll
    void tearDown() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (tb != null) {
            Path logs = Path.of("target", "node-logs", "dashboard");
            Files.createDirectories(logs);
            Testbed.exec(Duration.ofSeconds(30), "bash", List.of("-c", "cp /run/symphonet-tb/" + tb.prefix()
                    + "/{node*,collector*}.log " + logs.toAbsolutePath() + "/ 2>/dev/null; true"));
            for (int i = 0; i < NODES; i++) {
                tb.run("overlay_node_stop", Integer.toString(i));
            }
            tb.close();
        }
    }

    @Test
    @Order(1)
    void theRingShowsEveryNodeAndEveryLinkTheNodesReport() throws Exception {
        // The nodes' own status pages are the truth; the dashboard must draw the same up links.
        Wait.until(Duration.ofSeconds(120), () -> "the dashboard to match the nodes: " + mismatch, () -> {
            Set<String> truth = new TreeSet<>();
            for (int i = 0; i < NODES; i++) {
                JsonNode s = status(i);
                if (s == null) {
                    mismatch = "node " + i + " has no status";
                    return false;
                }
                for (JsonNode l : s.path("overlays").get(0).path("links")) {
                    if ("up".equals(l.path("state").asText())) {
                        truth.add(pair(ids.get(i), l.path("peer").asText()));
                    }
                }
            }
            Map<String, String> nodes = drawnNodes();
            Set<String> drawn = drawnUpLinks();
            Set<String> online = new TreeSet<>();
            nodes.forEach((id, state) -> {
                if (state.equals("online")) {
                    online.add(id);
                }
            });
            mismatch = "online drawn " + online.size() + " of " + NODES + ", links drawn " + drawn + " vs nodes' " + truth;
            // The ring counts as formed when every node's two successors (by node ID) are up.
            List<String> ring = new ArrayList<>(new TreeSet<>(ids.values()));
            for (int k = 0; k < ring.size(); k++) {
                for (int step = 1; step <= 2; step++) {
                    if (!truth.contains(pair(ring.get(k), ring.get((k + step) % ring.size())))) {
                        mismatch += "; ring not formed yet";
                        return false;
                    }
                }
            }
            return online.equals(new TreeSet<>(ids.values())) && drawn.equals(truth);
        });
        assertEquals(NODES, drawnNodes().size(), "no extra nodes on the ring");
        for (List<String> l : query("#links path.link[data-state='up']", "data-type", "data-kind", "class")) {
            assertEquals("direct", l.get(0), "hosts on one LAN link directly");
            assertTrue(l.get(2).contains("t-direct"), "an up direct link is drawn in the direct colour: " + l);
            assertTrue(l.get(2).contains("k-" + l.get(1)), "styled by its kind: " + l);
        }
        // Nodes are drawn in ring order: by node ID.
        List<String> order = new ArrayList<>(drawnNodes().keySet());
        assertEquals(new ArrayList<>(new TreeSet<>(order)), order, "ring order is node-ID order");

        String id0 = ids.get(0);
        Wait.until(Duration.ofSeconds(10), "node details after a click", () -> {
            try {
                browser.findElement(By.cssSelector("#nodes g.node[data-id='" + id0 + "']")).click();
                return text("details").contains(id0);
            } catch (StaleElementReferenceException e) {
                return false; // re-rendered between finding and clicking: try again
            }
        });
        String details = text("details");
        assertTrue(details.contains("node0@"), details);
        assertTrue(details.contains("Links"), details);
        assertEquals("live", text("live"), "the stream is connected");
        assertEquals("lab", ((JavascriptExecutor) browser).executeScript("return document.getElementById('overlay').value"),
                "overlay selector");
        screenshot("dashboard.png");
    }

    @Test
    @Order(2)
    void aKilledNodeTurnsOfflineWithinAFewReportIntervals() throws Exception {
        int victim = 2;
        String id = ids.get(victim);
        tb.must("overlay_node_stop", Integer.toString(victim), "KILL");
        long start = System.nanoTime();
        // Offline after 3 missed 2 s reports; allow for the last report's age, the publish period and the stream.
        Wait.until(Duration.ofSeconds(15), "node " + victim + " to turn offline on the dashboard", () -> {
            String state = drawnNodes().get(id);
            return state == null || state.equals("offline");
        });
        System.out.printf("dashboard showed the killed node offline %.1f s after SIGKILL%n", (System.nanoTime() - start) / 1e9);
        Wait.until(Duration.ofSeconds(10), "the node-leave event in the history",
                () -> text("events").contains("node-leave " + id.substring(0, 8)));
        for (int i = 0; i < NODES; i++) {
            if (i != victim) {
                assertEquals("online", drawnNodes().get(ids.get(i)), "node " + i + " stays online");
            }
        }
        screenshot("dashboard-node-killed.png");
    }

    // ---- helpers ----

    /** The ring re-renders on every update: read it in one script, never through element handles that go stale. */
    @SuppressWarnings("unchecked")
    private List<List<String>> query(String selector, String... attributes) {
        Object r = ((JavascriptExecutor) browser).executeScript(
                "return [...document.querySelectorAll(arguments[0])].map(e => arguments[1].map(a => e.getAttribute(a)));",
                selector, List.of(attributes));
        return (List<List<String>>) r;
    }

    private String text(String id) {
        return String.valueOf(((JavascriptExecutor) browser).executeScript(
                "const e = document.getElementById(arguments[0]); return e ? e.textContent : '';", id));
    }

    private Map<String, String> drawnNodes() {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (List<String> n : query("#nodes g.node", "data-id", "data-state")) {
            m.put(n.get(0), n.get(1));
        }
        return m;
    }

    private Set<String> drawnUpLinks() {
        Set<String> s = new TreeSet<>();
        for (List<String> l : query("#links path.link[data-state='up']", "data-a", "data-b")) {
            s.add(pair(l.get(0), l.get(1)));
        }
        return s;
    }

    private static String pair(String x, String y) {
        return x.compareTo(y) < 0 ? x + "-" + y : y + "-" + x;
    }

    private void screenshot(String name) throws IOException {
        File shot = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Path target = Path.of("target", name);
        Files.createDirectories(target.getParent());
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        System.out.println("dashboard screenshot: " + target.toAbsolutePath());
    }

    private JsonNode status(int host) {
        return tb.nodeStatus(host);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
