package org.symphonet.tunnel.harness;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import org.symphonet.tunnel.AgentConfig;
import org.symphonet.tunnel.ice.RelayCeiling;

/**
 * Benchmark helper ({@code bench.sh tunnel}, path relay-ceiling):
 * <pre>
 *   sink PORT RELAY_IP:PORT SECONDS             count what arrives (after opening the NAT)
 *   blast TURN_IP:PORT USER PASS PEER_IP:PORT SECONDS [FROM_MBIT TO_MBIT]
 *                                               unpaced, or a paced ramp between the two rates
 * </pre>
 */
public final class RelayCeilingMain {
    /**
     * Seconds both ends run before the measured ones (-Dsymphonet.ceiling.warmupSeconds, default 0):
     * the bench gives the ceiling the same warm-up as every path it measures with iperf3.
     */
    private static final int WARMUP = Integer.getInteger("symphonet.ceiling.warmupSeconds", 0);

    private RelayCeilingMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 4 && args[0].equals("sink")) {
            RelayCeiling.sink(Integer.parseInt(args[1]), address(args[2]), WARMUP, Integer.parseInt(args[3]), System.out);
        } else if ((args.length == 6 || args.length == 8) && args[0].equals("blast")) {
            RelayCeiling.blast(new AgentConfig.TurnServer(address(args[1]), args[2], args[3]), address(args[4]),
                    WARMUP, Integer.parseInt(args[5]), args.length == 8 ? Integer.parseInt(args[6]) : 0,
                    args.length == 8 ? Integer.parseInt(args[7]) : 0, System.out);
        } else {
            System.err.println("usage: sink PORT RELAY_IP:PORT SECONDS"
                    + " | blast TURN_IP:PORT USER PASS PEER_IP:PORT SECONDS [FROM_MBIT TO_MBIT]");
            System.exit(2);
        }
    }

    private static InetSocketAddress address(String s) throws Exception {
        int colon = s.lastIndexOf(':');
        return new InetSocketAddress(InetAddress.getByName(s.substring(0, colon)), Integer.parseInt(s.substring(colon + 1)));
    }
}
