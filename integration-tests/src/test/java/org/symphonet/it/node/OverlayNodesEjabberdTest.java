package org.symphonet.it.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.symphonet.it.signal.EjabberdServer;
import org.symphonet.it.testbed.Testbed;
import org.symphonet.it.testbed.Wait;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The common whole-node checks (rings by the Symphony rule, all-pairs ping, broadcast once per
 * leaf) with ejabberd instead of Prosody: nodes speak standard XMPP, not one server's dialect.
 * Here the server is a cluster of two ejabberd nodes (join_cluster over Erlang distribution, one
 * Mnesia) in two namespaces; membership is a mod_shared_roster group in that Mnesia. Every node
 * lists both servers, its own first, so the overlay is split across the cluster. Then one ejabberd
 * node stops: its overlay nodes move to the other, and no tunnel notices.
 */
class OverlayNodesEjabberdTest extends OverlayNodesBase {

    static final String DOMAIN = "symphonet.test";
    static final String FIRST = "10.200.0.1";
    static final String SECOND = "10.200.0.2";
    /** Erlang distribution port of both members (ERL_DIST_PORT: no epmd), in this helper's range. */
    static final int DIST_PORT = 15201;

    EjabberdServer first;
    EjabberdServer second;

    @Override
    String[] xmppCommands() {
        return new String[] {"ejabberdctl"};
    }

    @Override
    String prefixBase() {
        return "oe";
    }

    @Override
    AutoCloseable startXmpp() throws Exception {
        Map<String, String> accounts = new LinkedHashMap<>();
        List<String> group = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/run/symphonet-tb", tb.prefix(), "xmpp-accounts"))) {
            String[] f = line.trim().split("\\s+");
            accounts.put(f[0], f[1]);
            if (f.length > 2) {
                group.add(f[0]);
            }
        }
        tb.must("overlay_xmpp_second_server");
        byte[] cookie = new byte[16];
        new SecureRandom().nextBytes(cookie);
        String c = HexFormat.of().formatHex(cookie);
        Map<String, String> hosts = Map.of("ej1", FIRST, "ej2", SECOND);
        first = EjabberdServer.clusterFirst(tb.ns("inet"), FIRST, 5222, DOMAIN,
                new EjabberdServer.Cluster("xm-ej1@ej1", DIST_PORT, c, hosts), accounts, group);
        try {
            second = EjabberdServer.clusterJoin(tb.ns("inet2"), SECOND, 5222, DOMAIN,
                    new EjabberdServer.Cluster("xm-ej2@ej2", DIST_PORT, c, hosts), first);
        } catch (Exception | Error e) {
            first.close();
            throw e;
        }
        return () -> {
            second.close();
            first.close();
        };
    }

    /** Even hosts list the first server first, odd hosts the second (lib/overlay.sh). */
    static String ownServer(int host) {
        return host % 2 == 0 ? FIRST : SECOND;
    }

    @Test
    @Order(10)
    void stoppingOneClusterMemberMovesItsNodesToTheOtherAndNoTunnelGoesDown() throws Exception {
        for (int i = 0; i <= UNTRUSTED; i++) {
            JsonNode x = status(i).path("xmpp");
            assertTrue(x.path("connected").asBoolean(), "node " + i + " connected");
            assertEquals(ownServer(i), x.path("server").asText(), "node " + i + " on its own server");
        }
        XmppCost steady = XmppCost.sample(this, Duration.ofSeconds(20));
        System.out.println("XMPP tier, steady state, " + HOSTS + " nodes, 2 overlays: " + steady);
        // Taken just before the stop: shortcuts still being re-chosen as the rings settle are the
        // planner's business, not the failover's.
        Map<Integer, Map<String, Long>> before = new LinkedHashMap<>();
        for (int i = 0; i < HOSTS; i++) {
            before.put(i, upLinkAges(i));
        }
        long[] at = XmppCost.totals(this);
        long stopped = System.nanoTime();
        second.stop();
        Wait.until(Duration.ofSeconds(90), "every node of the stopped member on the other", () -> {
            for (int i = 0; i <= UNTRUSTED; i++) {
                JsonNode x = status(i).path("xmpp");
                if (!x.path("connected").asBoolean() || !FIRST.equals(x.path("server").asText())) {
                    return false;
                }
            }
            return true;
        });
        double moved = (System.nanoTime() - stopped) / 1e9;
        System.out.printf("ejabberd member stopped: its nodes logged in on the other after %.1f s%n", moved);
        for (int o = 0; o < OVERLAYS.length; o++) {
            int overlay = o;
            Wait.until(Duration.ofSeconds(120), () -> "ring healed in " + OVERLAYS[overlay] + " (missing " + missing + ")",
                    () -> successorsUp(allHosts(), overlay));
        }
        System.out.println("XMPP tier, failover of half the overlay: " + XmppCost.since(this, at, System.nanoTime() - stopped));
        Testbed.Result r = pingAll(Duration.ofSeconds(60));
        assertTrue(r.ok(), r.stdout() + r.stderr());
        // Every tunnel up before is still up and older: none went down and came back.
        for (int i = 0; i < HOSTS; i++) {
            Map<String, Long> now = upLinkAges(i);
            for (Map.Entry<String, Long> l : before.get(i).entrySet()) {
                assertTrue(now.containsKey(l.getKey()), "node " + i + " lost its link to " + hostOf(l.getKey()));
                assertTrue(now.get(l.getKey()) >= l.getValue(), "node " + i + "'s link to " + hostOf(l.getKey())
                        + " was re-made: age " + now.get(l.getKey()) + " s, was " + l.getValue() + " s");
            }
        }
    }
}
