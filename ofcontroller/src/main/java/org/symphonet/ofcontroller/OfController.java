package org.symphonet.ofcontroller;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.symphonet.ofcontroller.discovery.PortInfo;
import org.symphonet.ofcontroller.discovery.SwitchObserver;
import org.symphonet.ofcontroller.metrics.BridgeCounters;
import org.symphonet.ofcontroller.pipeline.Pipeline;
import org.symphonet.ofcontroller.session.ListenAddress;
import org.symphonet.ofcontroller.session.OfMessageDecoder;
import org.symphonet.ofcontroller.session.OfMessageEncoder;
import org.symphonet.ofcontroller.session.SwitchApp;
import org.symphonet.ofcontroller.session.SwitchAppFactory;
import org.symphonet.ofcontroller.session.SwitchSession;
import org.symphonet.ofcontroller.view.NodeId;
import org.symphonet.ofcontroller.view.TopologyView;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.timeout.IdleStateHandler;

/**
 * The OpenFlow 1.3 controller: accepts switches, hands each one that completes its handshake to a
 * {@link Bridge}, and keeps bridges in step with the {@link TopologyView}. Each switch lives on one
 * event-loop thread; topology changes are posted to that thread, never applied from outside it.
 */
public final class OfController implements SwitchAppFactory, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OfController.class);

    private record Connected(SwitchSession session, Bridge bridge) {
    }

    private final TopologyView view;
    /** The view's ear for switches and probes when it discovers the topology itself. */
    private final SwitchObserver observer;
    private final ControllerSettings settings;
    private final EventLoopGroup group;
    private final boolean epoll;
    private final List<Channel> servers = new CopyOnWriteArrayList<>();
    private final Map<Long, Connected> connected = new ConcurrentHashMap<>();
    private final Map<Long, BridgeCounters> counters = new ConcurrentHashMap<>();
    private volatile org.symphonet.ofcontroller.traffic.TrafficListener trafficListener;
    private volatile long trafficPeriodMillis;
    private volatile String tunnelPortPrefix;

    public OfController(TopologyView view, ControllerSettings settings) {
        this(view, settings, Math.max(1, Runtime.getRuntime().availableProcessors()));
    }

    public OfController(TopologyView view, ControllerSettings settings, int threads) {
        this.view = view;
        this.observer = view instanceof SwitchObserver o ? o : SwitchObserver.NONE;
        this.settings = settings;
        this.epoll = Epoll.isAvailable();
        this.group = new MultiThreadIoEventLoopGroup(threads, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        view.addListener(this::topologyChanged);
    }

    /**
     * Every bridge that connects from now on reports, every {@code periodMillis} (and sooner when a
     * rate rises, see {@link org.symphonet.ofcontroller.traffic.TrafficPoller}), the bytes per
     * second it forwards toward each remote node's leaves (for on-demand links).
     */
    public void onTraffic(long periodMillis, org.symphonet.ofcontroller.traffic.TrafficListener listener) {
        org.symphonet.ofcontroller.traffic.TrafficPoller.ticksOf(periodMillis); // refuses a bad period here, not per bridge
        this.trafficPeriodMillis = periodMillis;
        this.trafficListener = listener;
    }

    /**
     * Ports whose names start with {@code prefix} (the tunnel agent's TAPs) are tunnel ports on every
     * bridge that connects from now on: never leaves, peer ports once the view names their peer.
     */
    public void tunnelPorts(String prefix) {
        this.tunnelPortPrefix = prefix;
    }

    /** Starts listening; returns the bound address (useful with port 0). May be called for several addresses. */
    public ListenAddress listen(ListenAddress address) throws InterruptedException {
        Class<? extends ServerChannel> type;
        if (address.isUnix()) {
            if (!epoll) {
                throw new IllegalStateException("unix listen addresses need Netty's epoll transport, unavailable here");
            }
            removeStaleSocket(address.unixPath());
            type = EpollServerDomainSocketChannel.class;
        } else {
            type = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        }
        ServerBootstrap b = new ServerBootstrap().group(group).channel(type)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(
                                new IdleStateHandler(settings.echoIntervalSeconds(), 0, 0, TimeUnit.SECONDS),
                                new OfMessageDecoder(),
                                new OfMessageEncoder(),
                                new SwitchSession(OfController.this));
                    }
                });
        if (!address.isUnix()) {
            b.option(ChannelOption.SO_REUSEADDR, true).childOption(ChannelOption.TCP_NODELAY, true);
        }
        Channel server = b.bind(address.socketAddress()).sync().channel();
        servers.add(server);
        ListenAddress bound = address;
        if (server.localAddress() instanceof InetSocketAddress isa) {
            bound = new ListenAddress(address.host(), isa.getPort(), null);
        }
        log.info("OpenFlow 1.3 controller listening on {} ({} transport)", bound, epoll ? "epoll" : "nio");
        return bound;
    }

    /** A socket file left by a killed controller would make bind fail; one a live controller answers on is kept. */
    private static void removeStaleSocket(java.nio.file.Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (var probe = java.nio.channels.SocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            probe.connect(java.net.UnixDomainSocketAddress.of(path));
            throw new IllegalStateException("another controller is listening on " + path);
        } catch (java.io.IOException deadSocket) {
            try {
                Files.deleteIfExists(path);
            } catch (java.io.IOException e) {
                throw new IllegalStateException("cannot remove stale socket " + path + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public SwitchApp connected(SwitchSession session, long datapathId, List<OFPortDesc> ports) {
        BridgeCounters c = counters.computeIfAbsent(datapathId, k -> new BridgeCounters());
        Bridge bridge = new Bridge(datapathId, session, new Pipeline(session.factory()), settings, c, observer,
                () -> {
                    if (connected.remove(datapathId, connectedOf(datapathId, session))) {
                        observer.switchDown(datapathId);
                    }
                });
        bridge.tunnelPorts(tunnelPortPrefix);
        var listener = trafficListener;
        if (listener != null) {
            bridge.measureTraffic(trafficPeriodMillis, listener);
        }
        Connected previous = connected.put(datapathId, new Connected(session, bridge));
        if (previous != null) {
            log.info("bridge {} reconnected; closing its old connection", String.format("%016x", datapathId));
            previous.session().close();
        }
        if (c.packetIns.sum() > 0 || previous != null) {
            c.resyncs.increment();
        }
        // Discovery must know the switch before the bridge asks for its topology: a switch it
        // does not know would become a plain learning switch, which storms on a fabric with loops.
        observer.switchUp(datapathId, ports.stream().map(PortInfo::of).filter(java.util.Objects::nonNull).toList());
        bridge.start(ports, view.bridge(datapathId).orElse(null));
        return bridge;
    }

    private Connected connectedOf(long datapathId, SwitchSession session) {
        Connected c = connected.get(datapathId);
        return c != null && c.session() == session ? c : null;
    }

    private void topologyChanged(long datapathId) {
        Connected c = connected.get(datapathId);
        if (c == null) {
            return;
        }
        c.session().channel().eventLoop().execute(() -> {
            if (connected.get(datapathId) == c) {
                c.bridge().applyTopology(view.bridge(datapathId).orElse(null));
                c.session().flush();
            }
        });
    }

    /** Datapath IDs of the bridges connected and in service now. */
    public List<Long> connectedBridges() {
        return new ArrayList<>(connected.keySet());
    }

    public boolean isConnected(long datapathId) {
        return connected.containsKey(datapathId);
    }

    /** Counters of a bridge; they survive its reconnections. */
    public BridgeCounters counters(long datapathId) {
        return counters.computeIfAbsent(datapathId, k -> new BridgeCounters());
    }

    /** A consistent snapshot of a connected bridge, taken on its own thread. */
    public Optional<BridgeStatus> status(long datapathId) {
        Connected c = connected.get(datapathId);
        if (c == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(c.session().channel().eventLoop().submit(() -> c.bridge().status()).get(5, TimeUnit.SECONDS));
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    public List<BridgeStatus> status() {
        List<BridgeStatus> out = new ArrayList<>();
        for (Long dpid : connectedBridges()) {
            status(dpid).ifPresent(out::add);
        }
        out.sort(java.util.Comparator.comparing(BridgeStatus::datapathId));
        return out;
    }

    /** The bridge (node) a remote leaf MAC sits behind, as seen from bridge {@code datapathId}. */
    public Optional<NodeId> bridgeOfMac(long datapathId, long mac) {
        Connected c = connected.get(datapathId);
        if (c == null) {
            return Optional.empty();
        }
        try {
            return c.session().channel().eventLoop().submit(() -> c.bridge().bridgeOfMac(mac)).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        for (Channel s : servers) {
            s.close().syncUninterruptibly();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
