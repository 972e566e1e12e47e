package org.symphonet.it.node;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What the traffic saw while an on-demand link took it over (issue 15): ping's counts and iperf3's
 * TCP retransmissions before, around and after the moment the direct link started carrying it.
 */
final class SwitchOver {

    private static final Pattern PING_COUNTS = Pattern.compile("(\\d+) packets transmitted, (\\d+) received");
    private static final Pattern OUTPUT = Pattern.compile("actions=output:\"?([^,\"\\s]+)");

    /** ping's summary line. */
    record Pings(int sent, int received) {
        static Pings parse(String pingOutput) {
            Matcher m = PING_COUNTS.matcher(pingOutput);
            if (!m.find()) {
                throw new AssertionError("no ping summary in: " + pingOutput);
            }
            return new Pings(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        }
    }

    private static final Pattern TIMED_REPLY = Pattern.compile("^\\[(\\d+\\.\\d+)\\] .*icmp_seq=(\\d+) .*time=([\\d.]+) ms",
            Pattern.MULTILINE);

    /**
     * When each ping was sent, in epoch seconds, from {@code ping -D}'s reply lines (the reply's
     * timestamp less its round trip); a ping without a reply gets the time of its nearest answered
     * predecessor (ping sends late on a loaded machine, so seq x interval drifts by seconds).
     */
    static double[] sendTimes(String pingOutput, int sent) {
        double[] at = new double[sent + 1];
        java.util.Arrays.fill(at, Double.NaN);
        Matcher m = TIMED_REPLY.matcher(pingOutput);
        while (m.find()) {
            int seq = Integer.parseInt(m.group(2));
            if (seq >= 1 && seq <= sent) {
                at[seq] = Double.parseDouble(m.group(1)) - Double.parseDouble(m.group(3)) / 1000;
            }
        }
        double last = Double.NaN;
        for (int seq = 1; seq <= sent; seq++) {
            if (Double.isNaN(at[seq])) {
                at[seq] = last;
            } else {
                last = at[seq];
            }
        }
        return at;
    }

    /** The pings without a reply sent within [from, to) epoch seconds (times from {@link #sendTimes}). */
    static List<Integer> lostWithin(String pingOutput, double[] sendTimes, double from, double to) {
        java.util.Set<Integer> answered = new java.util.HashSet<>();
        Matcher m = TIMED_REPLY.matcher(pingOutput);
        while (m.find()) {
            answered.add(Integer.parseInt(m.group(2)));
        }
        List<Integer> lost = new ArrayList<>();
        for (int seq = 1; seq < sendTimes.length; seq++) {
            if (!answered.contains(seq) && !Double.isNaN(sendTimes[seq]) && sendTimes[seq] >= from && sendTimes[seq] < to) {
                lost.add(seq);
            }
        }
        return lost;
    }

    /** One iperf3 report interval: seconds since the client started, the sender's retransmissions and bit rate in it. */
    record Interval(double start, double end, long retransmits, double bitsPerSecond) {
    }

    /** Retransmissions before {@code from}, in [from, to), and after, in seconds since the client started. */
    record Retransmits(long before, long during, long after) {
    }

    private SwitchOver() {
    }

    /** The intervals of {@code iperf3 -J}'s output (client side, TCP). */
    static List<Interval> intervals(String iperfJson) throws Exception {
        JsonNode root = new ObjectMapper().readTree(iperfJson);
        List<Interval> out = new ArrayList<>();
        for (JsonNode i : root.path("intervals")) {
            JsonNode sum = i.path("sum");
            out.add(new Interval(sum.path("start").asDouble(), sum.path("end").asDouble(), sum.path("retransmits").asLong(),
                    sum.path("bits_per_second").asDouble()));
        }
        return out;
    }

    /**
     * The most retransmissions in any {@code width}-second run of intervals lying wholly within
     * [from, to): what the same stream shows without a move, to compare the move's window with.
     */
    static long busiestWindow(List<Interval> intervals, double from, double to, double width) {
        long most = 0;
        for (Interval first : intervals) {
            if (first.start() < from || first.start() + width > to) {
                continue;
            }
            long sum = 0;
            for (Interval i : intervals) {
                if (i.start() >= first.start() && i.end() <= first.start() + width + 1e-6) {
                    sum += i.retransmits();
                }
            }
            most = Math.max(most, sum);
        }
        return most;
    }

    static Retransmits split(List<Interval> intervals, double from, double to) {
        long before = 0;
        long during = 0;
        long after = 0;
        for (Interval i : intervals) {
            if (i.end() <= from) {
                before += i.retransmits();
            } else if (i.start() >= to) {
                after += i.retransmits();
            } else {
                during += i.retransmits();
            }
        }
        return new Retransmits(before, during, after);
    }

    private static final Pattern LOST = Pattern.compile("lost:(\\d+)");
    /** Packet-ins OVS dropped because its queue toward the controller was full (held frames go that way). */
    private static final Pattern RCONN_OVERFLOW = Pattern.compile("rconn_overflow .*total: (\\d+)");

    /**
     * Drop counters of one host: each interface's kernel rx+tx drops (lines "NAME RX TX" of
     * {@link #KERNEL_DROPS}), the userspace datapath's lost upcalls ({@code dpctl/show}'s "lost:") and
     * the packet-ins OVS dropped on a full queue to the controller ({@code coverage/show}'s rconn_overflow).
     */
    static java.util.Map<String, Long> drops(String kernelDrops, String dpctlShow, String coverage) {
        java.util.Map<String, Long> out = new java.util.TreeMap<>();
        for (String line : kernelDrops.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 3 && f[1].matches("\\d+") && f[2].matches("\\d+")) {
                out.merge(f[0], Long.parseLong(f[1]) + Long.parseLong(f[2]), Long::sum); // two sockets may share a name
            }
        }
        Matcher m = LOST.matcher(dpctlShow);
        long lost = 0;
        while (m.find()) {
            lost += Long.parseLong(m.group(1));
        }
        out.put("upcalls-lost", lost);
        Matcher o = RCONN_OVERFLOW.matcher(coverage);
        out.put("packet-ins-dropped", o.find() ? Long.parseLong(o.group(1)) : 0L);
        return out;
    }

    /**
     * Prints each interface's kernel drops in a namespace, one "NAME RX TX" line each, then each
     * packet and UDP socket's receive drops (a full receive buffer: OVS's sockets on leaf ports,
     * the tunnels' TAP and UDP sockets) as "sock:PROTO:LOCAL DROPS 0".
     */
    static final String KERNEL_DROPS = "for i in /sys/class/net/*; do echo \"${i##*/} $(cat $i/statistics/rx_dropped)"
            + " $(cat $i/statistics/tx_dropped)\"; done; ss -H -O -0 -u -a -m -n | awk '{ if (match($0, /,d[0-9]+\\)/))"
            + " print \"sock:\" $1 \":\" $5, substr($0, RSTART + 2, RLENGTH - 3), 0 }'";

    /** What grew from {@code before} to {@code after}, only the counters that did. */
    static java.util.Map<String, Long> grown(java.util.Map<String, Long> before, java.util.Map<String, Long> after) {
        java.util.Map<String, Long> out = new java.util.TreeMap<>();
        after.forEach((k, v) -> {
            long d = v - before.getOrDefault(k, 0L);
            if (d > 0) {
                out.put(k, d);
            }
        });
        return out;
    }

    /** The output port of a one-flow {@code dump-flows} (table 2, one destination MAC), or "" when there is none. */
    static String outputPort(String dumpFlows) {
        Matcher m = OUTPUT.matcher(dumpFlows);
        return m.find() ? m.group(1) : "";
    }
}
