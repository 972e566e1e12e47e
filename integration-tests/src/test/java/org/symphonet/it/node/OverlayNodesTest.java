package org.symphonet.it.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.symphonet.it.testbed.Requirements;
import org.symphonet.it.testbed.Testbed;
import org.symphonet.it.testbed.Wait;
import org.symphonet.ofcontroller.view.NodeId;
import org.symphonet.overlay.signal.DecodeResult;
import org.symphonet.overlay.signal.RejectReason;
import org.symphonet.overlay.signal.SignalBody;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
/**
 * The whole-node suite on Prosody: the common checks of {@link OverlayNodesBase}, plus ARP and DHCP
 * across the overlay, the untrusted node, malformed signaling from a trusted account, on-demand
 * links from real traffic, churn (a killed node's ring heals and it rejoins with the same ID) and
 * an XMPP outage that drops no tunnel.
 */
class OverlayNodesTest extends OverlayNodesBase {

    /** 100/s for 30 s: spans the on-demand link's set-up and the flow's move onto it. */
    static final int SWITCH_OVER_PINGS = 3000;
    /** Seconds around the move (as its node logged it) whose TCP retransmissions the move is blamed for. */
    private static final double SWITCH_OVER_WINDOW = 4;
    /**
     * Seconds around the move whose pings' fate the move decides: both ends move within about 0.1 s
     * of each other, hold 0.1 s, and a loaded ring path's RTT stays under 0.2 s. Wider, the window
     * also takes in pings a loaded machine drops anyway (bench.sh ondemand on the shared machine:
     * 0-5 of 1200 lost per 12-s round, in RTT spikes of 100-150 ms a second or more from the move).
     */
    private static final double SWITCH_OVER_PING_WINDOW = 1;
    /** TCP retransmissions beyond the stream's busiest other window that the report calls a burst. */
    private static final int SWITCH_OVER_RETRANSMIT_TOLERANCE = 15;
    /** The controller's hold of frames toward a moving MAC (Bridge.HOLD_MILLIS), for the report. */
    private static final int HOLD_MILLIS = 100;

    @Override
    String[] xmppCommands() {
        return new String[] {"prosody", "prosodyctl"};
    }

    @Override
    String prefixBase() {
        return "on";
    }

    @Test
    @Order(5)
    void theUntrustedNodeGetsNoTunnelAndNoFrame() {
        NodeLabChecks.assertIsolated(tb, status(UNTRUSTED), "lf" + UNTRUSTED, "10.88.0.11");
    }

    @Test
    @Order(8)
    void killedNodeHealsTheRingAndRejoinsWithItsId() throws Exception {
        int victim = 2;
        NodeId id = ids.get(victim);
        tb.must("overlay_node_stop", Integer.toString(victim), "KILL");
        long start = System.nanoTime();
        Set<Integer> rest = allHosts();
        rest.remove(victim);
        // Its ring neighbours learn of its death from its unavailable presence (its XMPP stream closed
        // with the process) and drop their links to it after a fast check of the tunnel, not after the
        // tunnel's dead interval (10 s).
        List<Integer> neighbours = ringNeighbours(victim, 0);
        Wait.until(Duration.ofSeconds(60), "the victim's ring neighbours " + neighbours + " to drop their links to it",
                () -> neighbours.stream().allMatch(h -> !linkPeers(h, 0).contains(id.toString())));
        for (int h : neighbours) {
            String log = Files.readString(Path.of("/run/symphonet-tb/" + tb.prefix(), "node" + h + ".log"));
            long offline = lastLogMillis(log, "to " + id.shortHex() + ": peer went offline");
            // The link goes when the tunnel is reported lost, before its teardown (issue 16); "tunnel
            // down" is what a tunnel that was not up yet reports instead.
            long down = Math.max(lastLogMillis(log, "to " + id.shortHex() + ": tunnel lost"),
                    lastLogMillis(log, "to " + id.shortHex() + ": tunnel down"));
            assertTrue(offline >= 0 && down >= offline, "host " + h + " logged the victim's presence loss and then its"
                    + " tunnel lost (offline at " + offline + " ms, lost at " + down + " ms of the day)");
            System.out.printf("host %d dropped its link to the killed node %d ms after its unavailable presence%n", h,
                    down - offline);
            assertTrue(down - offline <= 2000, "host " + h + " dropped its link " + (down - offline)
                    + " ms after the victim's presence went, more than 2 s");
        }
        Wait.until(Duration.ofSeconds(120), () -> "the ring of the remaining nodes to heal (missing: " + missing + ")",
                () -> successorsUp(rest, 0));
        double heal = (System.nanoTime() - start) / 1e9;
        Testbed.Result r = pingAmong(rest, "lf", "10.88.0.", Duration.ofSeconds(60));
        assertTrue(r.ok(), r.stdout());
        System.out.printf("ring healed %.1f s after a node was killed%n", heal);

        long restarted = System.nanoTime();
        tb.must("overlay_node_start", Integer.toString(victim), jar);
        Wait.until(Duration.ofSeconds(60), "the node to come back", () -> status(victim) != null);
        assertEquals(id.toString(), status(victim).path("node").asText(), "same node ID after a restart");
        Wait.until(Duration.ofSeconds(120), () -> "the full ring again (missing host->successor: " + missing + ")",
                () -> successorsUp(allHosts(), 0));
        // Links to the killed run die with it; the peers learn of the restart from its presence (a new
        // run), so every link to the victim now is to its new run, none a leftover awaiting the dead interval.
        long sinceRestart = (System.nanoTime() - restarted) / 1_000_000_000L + 1;
        for (int h : rest) {
            Long age = upLinkAges(h).get(id.toString());
            assertTrue(age == null || age <= sinceRestart, "host " + h + "'s link to the restarted node is "
                    + age + " s old, the restart " + sinceRestart + " s ago");
        }
        Testbed.Result all = pingAll(Duration.ofSeconds(60));
        assertTrue(all.ok(), all.stdout());
    }

    /** The hosts just before and after {@code host} on the ring of all trusted hosts. */
    private List<Integer> ringNeighbours(int host, int overlay) {
        List<NodeId> sorted = new ArrayList<>(new TreeSet<>(allHosts().stream().map(ids::get).toList()));
        int at = sorted.indexOf(ids.get(host));
        int n = sorted.size();
        return List.of(hostOf(sorted.get((at + n - 1) % n).toString()), hostOf(sorted.get((at + 1) % n).toString()));
    }

    private Map<String, Long> kernelDrops(int host) {
        return SwitchOver.drops(tb.inNs("h" + host, "sh", "-c", SwitchOver.KERNEL_DROPS).stdout(), "", "");
    }

    private Map<String, Long> drops(int host) {
        return SwitchOver.drops(tb.inNs("h" + host, "sh", "-c", SwitchOver.KERNEL_DROPS).stdout(),
                tb.run("ovs", "h" + host, "ovs-appctl", "dpctl/show").stdout(),
                tb.run("ovs", "h" + host, "ovs-appctl", "coverage/show").stdout());
    }

    /** Peers of every link (any state) host {@code h} has in an overlay; empty while its status is unreadable. */
    private Set<String> linkPeers(int h, int overlay) {
        JsonNode s = status(h);
        Set<String> peers = new HashSet<>();
        if (s == null) {
            peers.add("(status unreadable)");
            return peers;
        }
        s.path("overlays").get(overlay).path("links").forEach(l -> peers.add(l.path("peer").asText()));
        return peers;
    }

    /** Milliseconds of the day (local time, as the node logs write them) of an epoch time. */
    private static long msOfDay(long epochMillis) {
        return java.time.Instant.ofEpochMilli(epochMillis).atZone(java.time.ZoneId.systemDefault()).toLocalTime()
                .toNanoOfDay() / 1_000_000;
    }

    /** Milliseconds of the day of the first node log line containing {@code text} at or after {@code fromMs}; -1 if none. */
    private static long firstLogMillisAfter(String log, String text, long fromMs) {
        for (String line : log.split("\n")) {
            Matcher m = LOG_TIME.matcher(line);
            if (line.contains(text) && m.find()) {
                long at = ((Long.parseLong(m.group(1)) * 60 + Long.parseLong(m.group(2))) * 60 + Long.parseLong(m.group(3))) * 1000
                        + Long.parseLong(m.group(4));
                if (at >= fromMs) {
                    return at;
                }
            }
        }
        return -1;
    }

    /** The epoch seconds of a node log's milliseconds of the day (local time), on the day of {@code near}. */
    private static double epochOfLogMillis(long msOfDay, double near) {
        java.time.ZoneId zone = java.time.ZoneId.systemDefault();
        java.time.LocalDate day = java.time.Instant.ofEpochMilli((long) (near * 1000)).atZone(zone).toLocalDate();
        return day.atStartOfDay(zone).toInstant().toEpochMilli() / 1000.0 + msOfDay / 1000.0;
    }

    private static final Pattern LOG_TIME = Pattern.compile("^(\\d\\d):(\\d\\d):(\\d\\d)\\.(\\d{3}) ");

    /** Milliseconds of the day of the last node log line containing {@code text}; -1 if none. */
    private static long lastLogMillis(String log, String text) {
        long at = -1;
        for (String line : log.split("\n")) {
            Matcher m = LOG_TIME.matcher(line);
            if (line.contains(text) && m.find()) {
                at = ((Long.parseLong(m.group(1)) * 60 + Long.parseLong(m.group(2))) * 60 + Long.parseLong(m.group(3))) * 1000
                        + Long.parseLong(m.group(4));
            }
        }
        return at;
    }

    @Test
    @Order(9)
    void xmppOutageDropsNoTunnel() throws Exception {
        Map<String, Long> ages = upLinkAges(0);
        assertTrue(!ages.isEmpty());
        tb.must("prosody_stop");
        Thread.sleep(8000);
        Testbed.Result r = pingAll(Duration.ofSeconds(20));
        assertTrue(r.ok(), "tunnels carry traffic without XMPP: " + r.stdout());
        tb.must("prosody_start");
        Wait.until(Duration.ofSeconds(90), "signaling to reconnect", () -> status(0) != null && status(0).path("xmpp").path("connected").asBoolean());
        Map<String, Long> later = upLinkAges(0);
        for (var e : ages.entrySet()) {
            assertTrue(later.containsKey(e.getKey()), "link to " + e.getKey() + " survived the XMPP outage");
            assertTrue(later.get(e.getKey()) >= e.getValue(), "and was not re-made");
        }
    }

    @Test
    @Order(4)
    void arpAndDhcpWorkAcrossTheOverlay() throws Exception {
        String dir = "/run/symphonet-tb/" + tb.prefix();
        // ARP: a leaf behind a NAT resolves a leaf on a public host (broadcast request, unicast reply).
        Testbed.Result arp = tb.inNs("lf7", "arping", "-c", "2", "-w", "5", "-i", "eth0", "10.88.0.11");
        assertTrue(arp.ok() && arp.stdout().contains("bytes from 02:88:00:00:00:00"), "arping: " + arp.stdout() + arp.stderr());

        tb.must("spawn", "dnsmasq", "lf0", "dnsmasq", "--keep-in-foreground", "--log-facility=-", "--conf-file=/dev/null",
                "--port=0", "--interface=eth0", "--bind-interfaces", "--user=root", "--group=root", "--no-ping",
                "--dhcp-authoritative", "--dhcp-range=10.88.0.100,10.88.0.199,255.255.255.0,10m",
                "--dhcp-leasefile=" + dir + "/dnsmasq.leases", "--pid-file=" + dir + "/dnsmasq.pid");
        Path script = Path.of(dir, "udhcpc.sh");
        // The lease becomes a second address on the leaf (its static one stays for the other tests).
        Files.writeString(script, "#!/bin/sh\ncase \"$1\" in bound|renew) ip addr add \"$ip/$mask\" dev \"$interface\""
                + " && echo \"LEASE $ip\" ;; esac\n");
        Files.setPosixFilePermissions(script, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Thread.sleep(500);
        Map<Integer, String> leases = new HashMap<>();
        try {
            for (int client : new int[] {1, 3, 5, 7}) { // public, two EIM-NATed LANs, symmetric NAT
                Testbed.Result r = tb.inNs(Duration.ofSeconds(60), "lf" + client, "udhcpc", "-i", "eth0", "-f", "-q", "-n",
                        "-t", "6", "-T", "3", "-s", script.toString());
                Matcher m = Pattern.compile("LEASE (10\\.88\\.0\\.1\\d\\d)").matcher(r.stdout());
                assertTrue(r.ok() && m.find(), "leaf " + client + " got no lease: " + r.stdout() + r.stderr());
                leases.put(client, m.group(1));
            }
            assertEquals(leases.size(), new HashSet<>(leases.values()).size(), "distinct leases " + leases);
            for (var e : leases.entrySet()) {
                Testbed.Result p = tb.inNs("lf" + e.getKey(), "ping", "-c2", "-W2", "-q", "-I", e.getValue(), "10.88.0.11");
                assertTrue(p.ok(), "leaf " + e.getKey() + " from its leased " + e.getValue() + " to the DHCP server leaf: " + p.stdout());
            }
            System.out.println("DHCP leases across the overlay: " + leases);
        } finally {
            tb.run("kill", "dnsmasq");
            for (var e : leases.entrySet()) {
                tb.inNs("lf" + e.getKey(), "ip", "addr", "del", e.getValue() + "/24", "dev", "eth0");
            }
        }
    }

    @Test
    @Order(6)
    void malformedSignalingFromATrustedAccountIsDroppedAndTheNodeKeepsWorking() throws Exception {
        int target = 0;
        int bodies = 300;
        JsonNode before = status(target);
        long dropped = before.path("xmpp").path("dropped").asLong();
        int peers = before.path("xmpp").path("peers").asInt();
        Map<String, Long> ages = upLinkAges(target);
        String jid = before.path("xmpp").path("jid").asText();
        Path nodeLog = Path.of("/run/symphonet-tb/" + tb.prefix(), "node" + target + ".log");
        long logBefore = Files.size(nodeLog);
        try (SignalFuzzer f = SignalFuzzer.connect(tb.ns("inet"), "10.200.0.1", "symphonet.test", "node7", "pw-node7")) {
            Wait.until(Duration.ofSeconds(30), "the node to see the fuzzer's presence",
                    () -> status(target).path("xmpp").path("peers").asInt() > peers);
            for (String body : f.malformedBodies(ids.get(target), bodies, 7)) {
                f.send(jid, body);
            }
            Wait.until(Duration.ofSeconds(60), () -> "the node to drop all " + bodies + " bodies (dropped now "
                    + (status(target).path("xmpp").path("dropped").asLong() - dropped) + ")",
                    () -> status(target).path("xmpp").path("dropped").asLong() - dropped >= bodies);
            // Signaling still works: a well-formed request for an overlay the node does not serve is answered.
            SignalBody.LinkRequest req = f.validRequest(ids.get(target), "nope");
            f.send(jid, f.encode(req));
            DecodeResult answer = f.nextReply(20);
            assertTrue(answer instanceof DecodeResult.Valid v && v.body() instanceof SignalBody.LinkReject rej
                    && rej.link().equals(req.link()) && rej.reason() == RejectReason.UNKNOWN_OVERLAY, "answer: " + answer);
        }
        String log = Files.readString(nodeLog);
        assertTrue(log.contains("malformed body"), "drops are logged");
        // The ring may still retire a link neither end wants any more (30 s after a membership
        // change of an earlier test), closed by either end; that is the topology's own decision,
        // logged as such on node 0, not the bodies' doing.
        String during = log.substring((int) Math.min(logBefore, log.length()));
        Map<String, Long> later = upLinkAges(target);
        for (var e : ages.entrySet()) {
            String peer = " to " + e.getKey().substring(0, 8) + ": ";
            boolean retired = during.contains(peer + "removing (unwanted") || during.contains(peer + "closed by peer (UNWANTED)");
            assertTrue(retired || later.getOrDefault(e.getKey(), -1L) >= e.getValue(), "link to " + e.getKey() + " stayed up");
        }
        assertTrue(pingAll(Duration.ofSeconds(30)).ok(), "the overlay still carries traffic");
    }

    @Test
    @Order(7)
    void heavyTrafficBetweenNonAdjacentNodesOpensAnOnDemandLinkThatGoesWhenIdle() throws Exception {
        int lab2 = 1;
        Wait.until(Duration.ofSeconds(60), () -> "the lab2 ring (missing " + missing + ")", () -> successorsUp(allHosts(), lab2));
        int[] pair = nonAdjacentPair(lab2);
        int a = pair[0];
        int b = pair[1];
        String server = "10.89.0." + (b + 11);
        tb.must("spawn", "iperf-server", "lg" + b, "iperf3", "-s", "-1");
        // Listening before the client starts (a fixed sleep is too short on a loaded machine).
        Wait.until(Duration.ofSeconds(30), "iperf3 to listen on leaf " + b,
                () -> tb.inNs("lg" + b, "ss", "-Hltn", "sport = :5201").stdout().contains("5201"));
        // Issue 15: while the flow moves from the ring path to the new direct link, a 100/s ping
        // runs beside the TCP stream and must lose nothing (make-before-break).
        String toB = "table=2,dl_dst=" + String.format("02:89:00:00:00:%02x", b);
        Map<String, Long> dropsA = drops(a);
        Map<String, Long> dropsB = drops(b);
        // The hosts in between (the ring path): interfaces' and sockets' drops only.
        Map<Integer, Map<String, Long>> dropsRing = new java.util.TreeMap<>();
        for (int h : allHosts()) {
            if (h != a && h != b) {
                dropsRing.put(h, kernelDrops(h));
            }
        }
        long start = System.nanoTime();
        long startEpochMillis = System.currentTimeMillis();
        // 20 Mbit/s is 2.5 MB/s, above the threshold, and gentle on a shared 2-core machine.
        // Their own threads: the common pool has a single worker on a 2-core machine and would run them one after the other.
        ExecutorService both = Executors.newFixedThreadPool(2);
        CompletableFuture<Testbed.Result> client = CompletableFuture.supplyAsync(() -> tb.inNs(Duration.ofSeconds(90),
                "lg" + a, "iperf3", "-c", server, "-t", "30", "-b", "20M", "-i", "0.5", "-J"), both);
        CompletableFuture<Testbed.Result> pings = CompletableFuture.supplyAsync(() -> tb.inNs(Duration.ofSeconds(90),
                "lg" + a, "ping", "-D", "-i", "0.01", "-c", Integer.toString(SWITCH_OVER_PINGS), server), both);
        both.shutdown();
        Wait.until(Duration.ofSeconds(20), "host " + a + "'s flow toward leaf " + b,
                () -> !SwitchOver.outputPort(tb.must("ofctl", "h" + a, "br-lab2", "dump-flows", "--names", toB)).isEmpty());
        // The link's port is named after its peer (TAP prefix, overlay, "-", the peer's short ID). Not
        // "another port than the first one seen": on a loaded machine the link came up and took the
        // flow (1 s after the first ping) before this test's first look, which then waited 45 s for a
        // second move.
        String peerHex = ids.get(b).toString();
        double[] asked = {-1};
        Wait.until(Duration.ofSeconds(45), "an on-demand link between lab2 hosts " + a + " and " + b + " carrying the flow",
                () -> {
                    if (asked[0] < 0 && !linkRole(a, b, lab2).isEmpty()) {
                        asked[0] = (System.nanoTime() - start) / 1e9; // requested, connecting or up
                    }
                    String now = SwitchOver.outputPort(tb.must("ofctl", "h" + a, "br-lab2", "dump-flows", "--names", toB));
                    int dash = now.lastIndexOf('-');
                    return dash > 0 && dash < now.length() - 1 && peerHex.startsWith(now.substring(dash + 1));
                });
        double carrying = (System.nanoTime() - start) / 1e9;
        Wait.until(Duration.ofSeconds(45), "an on-demand link between lab2 hosts " + a + " and " + b,
                () -> linkRole(a, b, lab2).equals("on-demand:up") || linkRole(b, a, lab2).equals("on-demand:up"));
        double up = (System.nanoTime() - start) / 1e9;
        Testbed.Result iperf = client.get(100, TimeUnit.SECONDS);
        // The heavy traffic ends with iperf3 (the ping is far below the threshold): the idle period
        // runs from here, not from after the checks below (their testbed calls take seconds).
        long stopped = System.nanoTime();
        assertTrue(iperf.ok(), "iperf3 through the overlay: " + iperf.stdout() + iperf.stderr());
        Testbed.Result ping = pings.get(100, TimeUnit.SECONDS);
        SwitchOver.Pings counts = SwitchOver.Pings.parse(ping.stdout());
        // Where frames were dropped, if anywhere: the kernel's counters of every interface of both
        // hosts (leaf veths, tunnel TAPs, the WAN) and the datapath's lost upcalls.
        System.out.printf("drops during the transfer: host %d %s, host %d %s%n", a, SwitchOver.grown(dropsA, drops(a)), b,
                SwitchOver.grown(dropsB, drops(b)));
        Map<Integer, Map<String, Long>> ringGrown = new java.util.TreeMap<>();
        dropsRing.forEach((h, before) -> {
            Map<String, Long> g = SwitchOver.grown(before, kernelDrops(h));
            if (!g.isEmpty()) {
                ringGrown.put(h, g);
            }
        });
        System.out.println("drops on the other hosts: " + ringGrown);
        assertTrue(carrying < SWITCH_OVER_PINGS / 100.0 - 5, "the flow moved after the ping ended (" + carrying + " s)");
        assertEquals(SWITCH_OVER_PINGS, counts.sent(), ping.stdout());
        // When the traffic really started and moved: the first ping's send time (ping -D; starting the
        // commands through the testbed script takes up to a second on a loaded machine) and the time
        // host a's controller logged the move of b's leaf (the flow points at the link after its hold).
        double[] sentAt = SwitchOver.sendTimes(ping.stdout(), counts.sent());
        double firstPing = java.util.Arrays.stream(sentAt).filter(t -> !Double.isNaN(t)).min().orElse(startEpochMillis / 1000.0);
        String logA = Files.readString(Path.of("/run/symphonet-tb/" + tb.prefix(), "node" + a + ".log"));
        long movedMs = firstLogMillisAfter(logA, "of node " + ids.get(b).shortHex() + " now reached over port",
                msOfDay(startEpochMillis));
        double moved = movedMs < 0 ? startEpochMillis / 1000.0 + carrying : epochOfLogMillis(movedMs, firstPing);
        // Where the time went, from host a's log: the link asked for (or accepted) and up.
        long askedMs = firstLogMillisAfter(logA, " " + ids.get(b).shortHex() + ": requesting (on-demand)", msOfDay(startEpochMillis));
        long acceptedMs = firstLogMillisAfter(logA, " " + ids.get(b).shortHex() + ": accepting (on-demand)", msOfDay(startEpochMillis));
        long detectedMs = askedMs < 0 ? acceptedMs : acceptedMs < 0 ? askedMs : Math.min(askedMs, acceptedMs);
        long upMs = firstLogMillisAfter(logA, " to " + ids.get(b).shortHex() + ": up (", Math.max(0, detectedMs));
        System.out.printf("host %d's log: on-demand link asked for %.2f s, up %.2f s, flow moved %.2f s after the first ping%n",
                a, detectedMs < 0 ? -1 : epochOfLogMillis(detectedMs, firstPing) - firstPing,
                upMs < 0 || detectedMs < 0 ? -1 : epochOfLogMillis(upMs, firstPing) - firstPing, moved - firstPing);
        // iperf3 started with the ping (same moment, its own thread): its intervals count from about
        // the first ping. The move's window spans 2 s either side of it (more than the hold, the
        // tunnel's set-up around it and the spawn skew between ping and iperf3).
        double moveAt = moved - firstPing;
        List<SwitchOver.Interval> intervals = SwitchOver.intervals(iperf.stdout());
        SwitchOver.Retransmits re = SwitchOver.split(intervals, moveAt - SWITCH_OVER_WINDOW / 2, moveAt + SWITCH_OVER_WINDOW / 2);
        // The same stream without a move: its busiest window of the same width after the switch-over's.
        long baseline = SwitchOver.busiestWindow(intervals, moveAt + SWITCH_OVER_WINDOW / 2, 30, SWITCH_OVER_WINDOW);
        List<Integer> lost = SwitchOver.lostWithin(ping.stdout(), sentAt, moved - SWITCH_OVER_PING_WINDOW / 2,
                moved + SWITCH_OVER_PING_WINDOW / 2);
        System.out.printf("on-demand switch-over %d-%d: link seen at %.1f s, up by %.1f s, flow on it %.1f s after traffic"
                + " started (test clock); traffic started %.1f s after the test's clock; host %d moved the flow %.2f s after"
                + " the first ping (node log; + %d ms hold); pings %d/%d received, %d lost within %.1f s of the move %s; TCP"
                + " retransmits %d before, %d around (+-%.1f s), %d after (at most %d in a window as wide after)%n",
                a, b, asked[0], up, carrying, firstPing - startEpochMillis / 1000.0, a, moveAt, HOLD_MILLIS,
                counts.received(), counts.sent(), lost.size(), SWITCH_OVER_PING_WINDOW / 2, lost, re.before(), re.during(), SWITCH_OVER_WINDOW / 2,
                re.after(), baseline);
        // Every lost ping with its send time from the move (the nearest answered predecessor's), to
        // tell the move's losses from a loaded machine's elsewhere, and the first ping's clock time
        // to line them up with captures and node logs.
        System.out.println("all lost pings (seq@s from the move), first ping at epoch " + String.format("%.3f", firstPing) + ": "
                + SwitchOver.lostWithin(ping.stdout(), sentAt, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY).stream()
                        .map(seq -> String.format("%d@%+.2f", seq, sentAt[seq] - moved)).toList());
        // What the ring path carried before the move, against the default threshold of 8 Mbit/s.
        System.out.println("Mbit/s per interval until 1 s after the move: " + intervals.stream()
                .filter(i -> i.start() < moveAt + 1).map(i -> String.format("%.1f", i.bitsPerSecond() / 1e6)).toList());
        // Issue 15: the switch-over loses no ping. Pings sent within half a second of the move count;
        // losses elsewhere in the 30 s (a loaded machine) are printed above, not blamed on the move.
        assertEquals(List.of(), lost, "pings lost while the flow moved to the on-demand link");
        // TCP retransmissions around the move are reported, not asserted: a move that lets frames
        // overtake each other shows as tens of them (24 with a 30-ms hold, 52 before the hold), but
        // on the loaded CI machine runs of this code saw 0, 0, 1, 11 and once 20 in the move's
        // window against 0-1 elsewhere in the same stream, so no bound separates the two reliably
        // yet; bench.sh ondemand measures them over rounds.
        System.out.println("TCP retransmits around the move: " + re.during() + " (busiest other window " + baseline
                + (re.during() > baseline + SWITCH_OVER_RETRANSMIT_TOLERANCE ? "; a burst" : "") + ")");
        Wait.until(Duration.ofSeconds(ON_DEMAND_IDLE_SECONDS + 30), "the idle on-demand link to be removed",
                () -> linkRole(a, b, lab2).isEmpty() && linkRole(b, a, lab2).isEmpty());
        double gone = (System.nanoTime() - stopped) / 1e9;
        System.out.printf("on-demand link %d-%d up %.1f s after heavy traffic started; removed %.1f s after it stopped"
                + " (idle %d s)%n", a, b, up, gone, ON_DEMAND_IDLE_SECONDS);
        assertTrue(gone >= ON_DEMAND_IDLE_SECONDS - 3, "not removed before the idle period (" + gone + " s)");
        Testbed.Result r = pingAmong(allHosts(), "lg", "10.89.0.", Duration.ofSeconds(30));
        assertTrue(r.ok(), "lab2 still whole after the on-demand link went: " + r.stdout());
    }

}
