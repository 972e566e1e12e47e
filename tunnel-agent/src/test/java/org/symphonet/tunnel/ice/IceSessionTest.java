package org.symphonet.tunnel.ice;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.symphonet.tunnel.AgentConfig;
import org.symphonet.tunnel.IceParameters;
import org.symphonet.tunnel.LinkType;
import org.symphonet.tunnel.dtls.MmsgUdpPath;

/** Two ICE sessions on loopback (host candidates only): checks, nomination, then data on the same socket. */
class IceSessionTest {
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        timers.shutdownNow();
    }

    private IceSession session() throws Exception {
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        MmsgUdpPath socket = MmsgUdpPath.open(new InetSocketAddress(lo, 0), 1500, new AtomicLong());
        AgentConfig config = AgentConfig.defaults(Path.of("/nonexistent"));
        return new IceSession(config, socket, timers, new SecureRandom(), List.of(lo));
    }

    @Test
    void hostPairIsSelectedAndCarriesData() throws Exception {
        IceSession a = session();
        IceSession b = session();
        IceParameters pa = a.gather();
        IceParameters pb = b.gather();
        assertEquals(1, pa.candidates().size(), "one host candidate, no servers configured");
        CompletableFuture<EstablishedPath> fa = CompletableFuture.supplyAsync(() -> establish(a, pb, true));
        CompletableFuture<EstablishedPath> fb = CompletableFuture.supplyAsync(() -> establish(b, pa, false));
        EstablishedPath ea = fa.get(20, TimeUnit.SECONDS);
        EstablishedPath eb = fb.get(20, TimeUnit.SECONDS);
        try {
            assertEquals(LinkType.DIRECT, ea.type());
            assertEquals(LinkType.DIRECT, eb.type());
            // A DTLS-looking datagram (first byte 23) crosses; STUN in between is absorbed by the session.
            byte[] record = {23, (byte) 0xFE, (byte) 0xFD, 1, 2, 3};
            ea.path().send(record, 0, record.length);
            byte[] buf = new byte[2048];
            int n = -1;
            for (int i = 0; i < 50 && n < 0; i++) {
                n = eb.path().receive(buf, 0, buf.length, 100);
            }
            assertEquals(record.length, n);
            assertArrayEquals(record, java.util.Arrays.copyOf(buf, n));
            assertTrue(eb.path() instanceof org.symphonet.tunnel.dtls.BatchingPath, "the batched socket");
        } finally {
            ea.path().close();
            eb.path().close();
        }
    }

    private static EstablishedPath establish(IceSession s, IceParameters remote, boolean controlling) {
        try {
            return s.establish(remote, controlling, Duration.ofSeconds(15), new AtomicLong());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
