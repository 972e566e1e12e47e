package org.symphonet.tunnel.harness;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.symphonet.tunnel.AgentConfig;
import org.symphonet.tunnel.Tunnel;
import org.symphonet.tunnel.TunnelEvent;
import org.symphonet.tunnel.TunnelRequest;
import org.symphonet.tunnel.dtls.NodeCertificate;
import org.symphonet.tunnel.session.DefaultTunnelAgent;
import org.symphonet.tunnel.session.TapOnly;

/**
 * A tunnel without XMPP: signaling data is passed by hand (or by a test) over
 * stdin/stdout. Protocol, one line each:
 * <pre>
 *   out: LOCAL &lt;signal line&gt;        this side's fingerprint and candidates
 *   in:  PEER &lt;signal line&gt;         the other side's (copied from its LOCAL)
 *   out: UP type=.. tap=.. local=.. remote=..
 *   in:  STATS            out: STATS key=value ...
 *   in:  CLOSE (or EOF)   tunnel closed, process exits
 *   out: DOWN reason=.. detail=..     (then the process exits)
 * </pre>
 * Options: --state DIR --node HEX --peer HEX --overlay ID --bridge BR [--ovs-db TARGET]
 * [--bind IP:PORT] [--ice] [--stun HOST:PORT]... [--turn HOST:PORT:USER:PASS]...
 * [--prefix LETTERS] [--keepalive MS] [--dead MS] [--exclude IFPREFIX]... [--no-bridge] [--no-mss-clamp]
 * ({@code --no-bridge}: the TAP joins no OVS bridge, e.g. to measure the tunnel alone;
 * {@code --no-mss-clamp}: TCP SYNs keep their MSS, so full-size segments are fragmented).
 * Log output may share stdout; it never starts with one of the keywords above.
 */
public final class HarnessMain {

    private HarnessMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, List<String>> opt = parse(args);
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
                StandardCharsets.UTF_8);
        AgentConfig config = AgentConfig.defaults(Path.of(one(opt, "state")))
                .withTapPrefix(opt.containsKey("prefix") ? one(opt, "prefix") : "sn")
                .withOvsDb(opt.containsKey("ovs-db") ? one(opt, "ovs-db") : null)
                .withTimers(Duration.ofMillis(longOpt(opt, "keepalive", 1000)),
                        Duration.ofMillis(longOpt(opt, "dead", 5000)), Duration.ofSeconds(30))
                .withIce(iceConfig(opt))
                .withTcpMssClamp(!opt.containsKey("no-mss-clamp"));
        String bridge = one(opt, "bridge");
        CountDownLatch down = new CountDownLatch(1);
        boolean noBridge = opt.containsKey("no-bridge");
        try (DefaultTunnelAgent agent = noBridge
                ? new DefaultTunnelAgent(config, NodeCertificate.loadOrCreate(config.stateDir()),
                        DefaultTunnelAgent.defaultPaths(config), new TapOnly(config.tapMtu()))
                : new DefaultTunnelAgent(config)) {
            if (!noBridge) {
                agent.removeStalePorts(bridge);
            }
            Tunnel tunnel = agent.open(TunnelRequest.of(one(opt, "overlay"), one(opt, "node"), one(opt, "peer"),
                    bridge), event -> {
                        if (event instanceof TunnelEvent.Up up) {
                            out.println("UP type=" + up.linkType().label() + " tap=" + up.tapName() + " local="
                                    + up.local() + " remote=" + up.remote());
                        } else if (event instanceof TunnelEvent.Down d) {
                            out.println("DOWN reason=" + d.reason() + " detail=" + d.detail());
                            down.countDown();
                        }
                    });
            out.println("LOCAL " + new SignalLine(agent.localFingerprint(), tunnel.localParameters()).encode());
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            Thread stdin = new Thread(() -> serve(in, out, tunnel, down), "harness-stdin");
            stdin.setDaemon(true);
            stdin.start();
            down.await();
        }
        System.exit(0);
    }

    private static void serve(BufferedReader in, PrintStream out, Tunnel tunnel, CountDownLatch down) {
        try {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("PEER ")) {
                    SignalLine peer = SignalLine.decode(line.substring(5));
                    tunnel.connect(peer.fingerprint(), peer.ice());
                } else if (line.equals("STATS")) {
                    out.println("STATS " + stats(tunnel));
                } else if (line.equals("CLOSE")) {
                    break;
                }
            }
        } catch (Exception e) {
            out.println("ERROR " + e);
        }
        // EOF: whoever drove us is gone; leave nothing behind.
        tunnel.close();
        try {
            down.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        down.countDown();
    }

    private static String stats(Tunnel tunnel) {
        String s = tunnel.counters().toString();
        return s.substring(s.indexOf('[') + 1, s.length() - 1).replace(", ", " ");
    }

    private static AgentConfig.Ice iceConfig(Map<String, List<String>> opt) {
        InetSocketAddress bind = opt.containsKey("bind") ? hostPort(one(opt, "bind")) : null;
        if (!opt.containsKey("ice")) {
            return AgentConfig.Ice.directUdp(bind);
        }
        List<InetSocketAddress> stun = new ArrayList<>();
        for (String s : opt.getOrDefault("stun", List.of())) {
            stun.add(hostPort(s));
        }
        List<AgentConfig.TurnServer> turn = new ArrayList<>();
        for (String t : opt.getOrDefault("turn", List.of())) {
            String[] f = t.split(":", 4);
            turn.add(new AgentConfig.TurnServer(new InetSocketAddress(f[0], Integer.parseInt(f[1])), f[2], f[3]));
        }
        return new AgentConfig.Ice(true, bind, stun, turn, opt.getOrDefault("exclude", List.of()));
    }

    private static InetSocketAddress hostPort(String s) {
        int i = s.lastIndexOf(':');
        return new InetSocketAddress(s.substring(0, i), Integer.parseInt(s.substring(i + 1)));
    }

    private static Map<String, List<String>> parse(String[] args) {
        Map<String, List<String>> m = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument: " + args[i]);
            }
            String key = args[i].substring(2);
            if (key.equals("ice") || key.equals("no-bridge") || key.equals("no-mss-clamp")) {
                m.computeIfAbsent(key, k -> new ArrayList<>()).add("true");
            } else {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("--" + key + " needs a value");
                }
                m.computeIfAbsent(key, k -> new ArrayList<>()).add(args[++i]);
            }
        }
        return m;
    }

    private static String one(Map<String, List<String>> opt, String key) {
        List<String> v = opt.get(key);
        if (v == null || v.size() != 1) {
            throw new IllegalArgumentException("need exactly one --" + key);
        }
        return v.get(0);
    }

    private static long longOpt(Map<String, List<String>> opt, String key, long dflt) {
        return opt.containsKey(key) ? Long.parseLong(one(opt, key)) : dflt;
    }
}
