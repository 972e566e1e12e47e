package org.symphonet.benchmarks.ofload;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code java -jar benchmarks/target/ofload.jar --controller tcp:127.0.0.1:6653 --mode both}. */
@Command(name = "ofload", mixinStandardHelpOptions = true,
    description = "cbench-like OpenFlow 1.3 controller benchmark: emulated switches send PACKET_INs"
        + " with fresh source MACs (destination = the previous packet's source, learned on another"
        + " port) and count the controller's PACKET_OUT and FLOW_MOD answers.")
public final class OfLoadMain implements Callable<Integer> {

  enum Mode { throughput, latency, both }

  @Option(names = {"-c", "--controller"}, required = true,
      description = "tcp:HOST:PORT, HOST:PORT or unix:PATH")
  String controller;

  @Option(names = {"-s", "--switches"}, defaultValue = "16", description = "emulated switches (${DEFAULT-VALUE})")
  int switches;

  @Option(names = {"-w", "--window"}, defaultValue = "64",
      description = "throughput mode: packet-ins outstanding per switch (${DEFAULT-VALUE})")
  int window;

  @Option(names = {"-m", "--mode"}, defaultValue = "both",
      description = "throughput, latency (one outstanding per switch) or both (${DEFAULT-VALUE})")
  Mode mode;

  @Option(names = {"-d", "--duration"}, defaultValue = "10", description = "measured seconds per mode (${DEFAULT-VALUE})")
  double duration;

  @Option(names = "--warmup", defaultValue = "2", description = "warm-up seconds per mode (${DEFAULT-VALUE})")
  double warmup;

  @Option(names = "--settle", defaultValue = "1", description = "seconds after the handshake before load (${DEFAULT-VALUE})")
  double settle;

  @Option(names = "--ports", defaultValue = "4", description = "ports per switch (${DEFAULT-VALUE})")
  int ports;

  @Option(names = "--loss-timeout", defaultValue = "2", description = "seconds after which an unanswered packet-in counts as lost (${DEFAULT-VALUE})")
  double lossTimeout;

  @Option(names = "--per-second", description = "print the answered rate every second (stderr)")
  boolean perSecond;

  @Option(names = "--watch-pid", defaultValue = "0",
      description = "report this process's CPU use (the controller's) over each measured window")
  long watchPid;

  @Option(names = "--pi-table", defaultValue = "0", description = "table_id in PACKET_INs (${DEFAULT-VALUE})")
  int piTable;

  @Option(names = "--pi-cookie", defaultValue = "0xffffffffffffffff",
      description = "cookie in PACKET_INs, hex with 0x or decimal (${DEFAULT-VALUE}: none)")
  String piCookie;

  @Option(names = "--pi-reason", defaultValue = "NO_MATCH",
      description = "reason in PACKET_INs: NO_MATCH, ACTION, INVALID_TTL (${DEFAULT-VALUE})")
  org.projectfloodlight.openflow.protocol.OFPacketInReason piReason;

  @Option(names = "--trace", defaultValue = "0",
      description = "print the first N messages received once the load starts, decoded (stderr)")
  int trace;

  @Option(names = "--flow-table", defaultValue = "10000",
      description = "flows asking for FLOW_REMOVED that a switch keeps; beyond, the oldest idles out"
          + " and its FLOW_REMOVED is sent, keeping the controller's MAC tables at a steady state"
          + " (0: flows never expire) (${DEFAULT-VALUE})")
  int flowTable;

  @Option(names = "--label", defaultValue = "", description = "name printed in RESULT lines")
  String label;

  static SocketAddress parseAddress(String s) {
    if (s.startsWith("unix:")) {
      return UnixDomainSocketAddress.of(s.substring(5));
    }
    String hp = s.startsWith("tcp:") ? s.substring(4) : s;
    int colon = hp.lastIndexOf(':');
    if (colon <= 0 || colon == hp.length() - 1) {
      throw new IllegalArgumentException("controller address must be tcp:HOST:PORT, HOST:PORT or unix:PATH: " + s);
    }
    return new InetSocketAddress(hp.substring(0, colon), Integer.parseInt(hp.substring(colon + 1)));
  }

  @Override
  public Integer call() throws Exception {
    LoadGenerator.Config cfg = new LoadGenerator.Config();
    cfg.address = parseAddress(controller);
    cfg.switches = switches;
    cfg.window = Math.max(window, 1);
    cfg.ports = ports;
    cfg.durationMs = (long) (duration * 1000);
    cfg.warmupMs = (long) (warmup * 1000);
    cfg.settleMs = (long) (settle * 1000);
    cfg.lossTimeoutMs = (long) (lossTimeout * 1000);
    cfg.perSecond = perSecond;
    cfg.watchPid = watchPid;
    cfg.flowTableSize = flowTable;
    EmulatedSwitch.TRACE.set(trace);
    cfg.packetInTable = piTable;
    cfg.packetInCookie = piCookie.startsWith("0x") || piCookie.startsWith("0X")
        ? Long.parseUnsignedLong(piCookie.substring(2), 16) : Long.parseLong(piCookie);
    cfg.packetInReason = piReason;
    List<LoadGenerator.Result> results = new ArrayList<>();
    int rc = 0;
    try (LoadGenerator gen = new LoadGenerator(cfg)) {
      try {
        gen.connect();
        if (mode != Mode.latency) {
          results.add(gen.measure("throughput", cfg.window));
        }
        if (mode != Mode.throughput) {
          results.add(gen.measure("latency", 1));
        }
      } catch (java.io.IOException e) {
        System.err.println("ofload: " + e.getMessage());
        rc = 1;
      }
      for (String n : gen.notes()) {
        System.err.println("ofload note: " + n);
      }
    }
    for (LoadGenerator.Result r : results) {
      System.out.printf(Locale.ROOT,
          "%s%s: %d switches x %d outstanding, %.1f s: %.0f packet-ins answered/s"
              + " (per second %.0f..%.0f), %.2f flow-mods (%.2f adds, %.2f deletes) and %.2f packet-outs"
              + " per answer, %d FLOW_REMOVED sent,"
              + " latency p50 %.1f us p99 %.1f us, lost %d, errors %d, CPU controller %.0f %% generator %.0f %%%n",
          label.isEmpty() ? "" : label + " ", r.mode, r.switches, r.window, r.seconds,
          r.answeredPerSecond(), r.minPerSecond, r.maxPerSecond,
          r.answered == 0 ? 0.0 : (double) r.flowMods / r.answered,
          r.answered == 0 ? 0.0 : (double) r.flowAdds / r.answered,
          r.answered == 0 ? 0.0 : (double) r.flowDeletes / r.answered,
          r.answered == 0 ? 0.0 : (double) r.packetOuts / r.answered, r.flowRemovedSent,
          r.latency.percentile(50) / 1e3, r.latency.percentile(99) / 1e3, r.lost, r.errors,
          r.controllerCpuPercent, r.generatorCpuPercent);
      System.out.println(r.resultLine() + (label.isEmpty() ? "" : " label=" + label));
      if (r.answered == 0) {
        rc = 1;
      }
    }
    return rc;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new OfLoadMain()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
  }
}
