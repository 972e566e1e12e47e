package org.symphonet.tunnel.tap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Library;
import com.sun.jna.Native;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.symphonet.tunnel.io.NativeIo;

/**
 * The mmsghdr layout of {@link PacketMessages} against the real system calls, without privileges:
 * a datagram socket pair stands in for the packet socket (the same recvmmsg/sendmmsg, message
 * boundaries kept). Frames must cross whole, in order, each with its own length, and a message
 * larger than its slot must be reported cut (the port drops it rather than deliver a part).
 */
class PacketMessagesTest {
    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SLOT = 2048;

    interface Sockets extends Library {
        int socketpair(int domain, int type, int protocol, int[] fds);

        int close(int fd);
    }

    private Sockets libc;
    private final int[] fds = {-1, -1};

    @BeforeEach
    void pair() {
        if ("true".equals(System.getenv("CI"))) {
            assertTrue(NativeIo.LOADED, "JNI library not loaded: the batches need it");
        } else {
            assumeTrue(NativeIo.LOADED, "JNI library not built here (no gcc?)");
        }
        libc = Native.load("c", Sockets.class);
        assertEquals(0, libc.socketpair(AF_UNIX, SOCK_DGRAM, 0, fds));
    }

    @AfterEach
    void close() {
        for (int fd : fds) {
            if (fd >= 0) {
                libc.close(fd);
            }
        }
    }

    @Test
    void aBatchCrossesWholeAndInOrderInOneCallEachWay() {
        PacketMessages tx = new PacketMessages(8, SLOT);
        PacketMessages rx = new PacketMessages(8, SLOT);
        int[] lengths = {60, 1514, 1518, 64, 999};
        for (int i = 0; i < lengths.length; i++) {
            byte[] f = frame(i, lengths[i]);
            tx.put(i, f, 0, f.length);
        }
        assertEquals(lengths.length, NativeIo.sendmmsg(fds[0], tx.address(0), lengths.length, 0));
        rx.prepareReceive();
        assertEquals(lengths.length, NativeIo.recvmmsg(fds[1], rx.address(0), rx.capacity(), 0x40));
        for (int i = 0; i < lengths.length; i++) {
            assertEquals(lengths[i], rx.length(i));
            assertFalse(rx.skipped(i, -1), "frame " + i);
            byte[] got = new byte[lengths[i]];
            rx.frames().get(i * rx.slot(), got, 0, got.length);
            assertArrayEquals(frame(i, lengths[i]), got, "frame " + i);
        }
    }

    @Test
    void aSendFromTheMiddleOfTheBatchStartsThere() {
        PacketMessages tx = new PacketMessages(4, SLOT);
        PacketMessages rx = new PacketMessages(4, SLOT);
        for (int i = 0; i < 4; i++) {
            byte[] f = frame(i, 100 + i);
            tx.put(i, f, 0, f.length);
        }
        // As after a frame the socket refused: the rest goes on from the next message.
        assertEquals(2, NativeIo.sendmmsg(fds[0], tx.address(2), 2, 0));
        rx.prepareReceive();
        assertEquals(2, NativeIo.recvmmsg(fds[1], rx.address(0), rx.capacity(), 0x40));
        assertEquals(102, rx.length(0));
        assertEquals(103, rx.length(1));
    }

    @Test
    void aMessageLargerThanItsSlotIsReportedCut() {
        PacketMessages tx = new PacketMessages(2, 4 * SLOT);
        PacketMessages rx = new PacketMessages(2, SLOT);
        byte[] big = frame(1, SLOT + 500);
        byte[] fine = frame(2, 300);
        tx.put(0, big, 0, big.length);
        tx.put(1, fine, 0, fine.length);
        assertEquals(2, NativeIo.sendmmsg(fds[0], tx.address(0), 2, 0));
        rx.prepareReceive();
        assertEquals(2, NativeIo.recvmmsg(fds[1], rx.address(0), rx.capacity(), 0x40));
        assertTrue(rx.skipped(0, -1));
        assertFalse(rx.skipped(1, -1));
        assertEquals(300, rx.length(1));
    }

    private static byte[] frame(int seq, int len) {
        byte[] f = new byte[len];
        for (int i = 0; i < len; i++) {
            f[i] = (byte) (i * 31 + seq * 7);
        }
        return f;
    }
}
