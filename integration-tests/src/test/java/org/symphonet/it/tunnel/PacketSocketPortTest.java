package org.symphonet.it.tunnel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.symphonet.it.testbed.Requirements;
import org.symphonet.tunnel.tap.FramePort;
import org.symphonet.tunnel.tap.PacketSocketPort;
import org.symphonet.tunnel.tap.TapDevice;

/**
 * The tunnel's side of a TAP that OVS owns, against a real TAP: here our own {@link TapDevice}
 * descriptor plays ovs-vswitchd's part (it is exactly what OVS holds for a {@code type=tap} port).
 * Frames must cross unchanged both ways, VLAN tags included (the kernel moves them out of the
 * frame on the packet socket's side), our own frames must not come back, and when the TAP is
 * re-created (the OVS port deleted and added again) the port must follow it.
 */
class PacketSocketPortTest {
    private static final int ETHERTYPE = 0x88B5; // IEEE local experimental: nothing else sends it
    private static final Duration WAIT = Duration.ofSeconds(5);

    private String name;
    private TapDevice ovsSide;
    private PacketSocketPort port;

    @BeforeEach
    void open() throws IOException {
        Requirements.require("ip");
        name = "tqps" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff));
        ovsSide = tapWithoutIpv6(name);
        port = PacketSocketPort.open(name, WAIT, 1000);
    }

    @AfterEach
    void close() {
        if (port != null) {
            port.close();
        }
        if (ovsSide != null) {
            ovsSide.close();
        }
    }

    @Test
    void framesCrossUnchangedBothWaysAndOurOwnDoNotComeBack() throws IOException {
        byte[] toTunnel = frame(1, 600, null);
        assertTrue(ovsSide.write(toTunnel, 0, toTunnel.length));
        assertArrayEquals(toTunnel, readOne(port));

        byte[] toOvs = frame(2, 1514, null);
        assertTrue(port.write(toOvs, 0, toOvs.length));
        assertArrayEquals(toOvs, readOne(ovsSide));
        byte[] marker = frame(3, 60, null);
        ovsSide.write(marker, 0, marker.length);
        assertArrayEquals(marker, readOne(port), "the next frame the tunnel reads is OVS's, not the one it sent");
    }

    @Test
    void vlanTagsSurviveTheKernelsTagStripping() throws IOException {
        for (int tpid : new int[] {0x8100, 0x88a8}) {
            byte[] tagged = frame(4, 1518, new int[] {tpid, 0x2064});
            assertTrue(ovsSide.write(tagged, 0, tagged.length));
            assertArrayEquals(tagged, readOne(port), "tag " + Integer.toHexString(tpid));
        }
        byte[] tagged = frame(5, 200, new int[] {0x8100, 0x0005});
        assertTrue(port.write(tagged, 0, tagged.length));
        assertArrayEquals(tagged, readOne(ovsSide));
    }

    /**
     * A burst each way goes through the port's batches (recvmmsg behind a read that found a frame;
     * writeJoining's frames in one sendmmsg at flushJoined, or when a batch fills): every frame
     * whole, in order, a tagged one in the middle with its tag, and none of ours read back.
     */
    @Test
    void burstsCrossInBatchesWholeAndInOrderBothWays() throws IOException {
        int count = 40;
        byte[][] toTunnel = new byte[count][];
        for (int i = 0; i < count; i++) {
            toTunnel[i] = frame(10 + i, 100 + 35 * i, i == 20 ? new int[] {0x8100, 0x0007} : null);
            assertTrue(ovsSide.write(toTunnel[i], 0, toTunnel[i].length));
        }
        for (int i = 0; i < count; i++) {
            assertArrayEquals(toTunnel[i], readOne(port), "frame " + i + " toward the tunnel");
        }
        byte[][] toOvs = new byte[count][];
        for (int i = 0; i < count; i++) {
            toOvs[i] = frame(60 + i, 1514 - 30 * i, i == 7 ? new int[] {0x8100, 0x0009} : null);
            assertEquals(0, port.writeJoining(toOvs[i], 0, toOvs[i].length));
        }
        assertEquals(0, port.flushJoined());
        for (int i = 0; i < count; i++) {
            assertArrayEquals(toOvs[i], readOne(ovsSide), "frame " + i + " toward OVS");
        }
        byte[] marker = frame(3, 60, null);
        ovsSide.write(marker, 0, marker.length);
        assertArrayEquals(marker, readOne(port), "the next frame the tunnel reads is OVS's, not one it sent");
    }

    @Test
    void aFrameLargerThanTheDeviceIsDroppedNotThrown() throws IOException {
        byte[] jumbo = frame(6, 4000, null);
        assertFalse(port.write(jumbo, 0, jumbo.length));
        byte[] fine = frame(7, 1514, null);
        assertTrue(port.write(fine, 0, fine.length));
        assertArrayEquals(fine, readOne(ovsSide));
        // In a batch: the one frame is dropped (counted), the frames behind it still go.
        assertEquals(0, port.writeJoining(jumbo, 0, jumbo.length));
        assertEquals(0, port.writeJoining(fine, 0, fine.length));
        assertEquals(1, port.flushJoined());
        assertArrayEquals(fine, readOne(ovsSide));
    }

    @Test
    void followsTheTapWhenItIsCreatedAgain() throws Exception {
        ovsSide.close();
        Thread.sleep(300);
        ovsSide = tapWithoutIpv6(name);
        byte[] after = frame(8, 300, null);
        long deadline = System.nanoTime() + WAIT.toNanos();
        byte[] got = null;
        // The port notices the new device on its next idle poll (within about a second).
        while (got == null && System.nanoTime() < deadline) {
            ovsSide.write(after, 0, after.length);
            got = readWithin(port, Duration.ofMillis(1500));
        }
        assertArrayEquals(after, got);
        assertTrue(port.write(after, 0, after.length));
        assertArrayEquals(after, readOne(ovsSide));
    }

    private static TapDevice tapWithoutIpv6(String name) throws IOException {
        TapDevice tap = TapDevice.open(name, 1500);
        Path v6 = Path.of("/proc/sys/net/ipv6/conf", name, "disable_ipv6");
        if (Files.exists(v6)) {
            Files.writeString(v6, "1");
        }
        return tap;
    }

    /** An Ethernet frame of {@code len} bytes with our ethertype, optionally behind one VLAN tag. */
    private static byte[] frame(int seq, int len, int[] tag) {
        byte[] f = new byte[len];
        byte[] dst = {0x02, 0, 0, 0, 0, 0x0b};
        byte[] src = {0x02, 0, 0, 0, 0, 0x0a};
        System.arraycopy(dst, 0, f, 0, 6);
        System.arraycopy(src, 0, f, 6, 6);
        int at = 12;
        if (tag != null) {
            f[at] = (byte) (tag[0] >>> 8);
            f[at + 1] = (byte) tag[0];
            f[at + 2] = (byte) (tag[1] >>> 8);
            f[at + 3] = (byte) tag[1];
            at += 4;
        }
        f[at] = (byte) (ETHERTYPE >>> 8);
        f[at + 1] = (byte) ETHERTYPE;
        f[at + 2] = (byte) seq;
        for (int i = at + 3; i < len; i++) {
            f[i] = (byte) (i * 7 + seq);
        }
        return f;
    }

    private static byte[] readOne(FramePort p) throws IOException {
        byte[] got = readWithin(p, WAIT);
        assertTrue(got != null, "a frame within " + WAIT);
        return got;
    }

    /** The next frame of ours (our ethertype, tagged or not), or null after {@code wait}. */
    private static byte[] readWithin(FramePort p, Duration wait) throws IOException {
        long deadline = System.nanoTime() + wait.toNanos();
        byte[] buf = new byte[TapDevice.MAX_FRAME];
        while (true) {
            int n;
            try {
                // The port calls the hook each time it is about to block: the place to give up.
                n = p.read(buf, 0, buf.length, () -> {
                    if (System.nanoTime() > deadline) {
                        throw new TimedOut();
                    }
                });
            } catch (TimedOut e) {
                return null;
            }
            if (n < 0) {
                return null;
            }
            if (isOurs(buf, n)) {
                return Arrays.copyOf(buf, n);
            }
        }
    }

    private static final class TimedOut extends IOException {
    }

    private static boolean isOurs(byte[] f, int n) {
        int type = n >= 14 ? (f[12] & 0xff) << 8 | f[13] & 0xff : 0;
        if ((type == 0x8100 || type == 0x88a8) && n >= 18) {
            type = (f[16] & 0xff) << 8 | f[17] & 0xff;
        }
        return type == ETHERTYPE;
    }
}
