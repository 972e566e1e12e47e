package org.symphonet.tunnel.tap;

import java.nio.ByteBuffer;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import org.symphonet.tunnel.io.NativeIo;

/**
 * A packet socket's frames as an array of {@code struct mmsghdr} for one {@code recvmmsg} or
 * {@code sendmmsg}: per message a frame slot, its iovec, a {@code sockaddr_ll} and a control
 * buffer for one {@code tpacket_auxdata} (64-bit Linux layout, as {@link PacketSocketPort}'s own
 * single message).
 *
 * <p>Why: a leaf's bulk TCP crosses the packet socket one system call per frame each way (about
 * 70,000 a second at 800 Mbit/s), on a host whose two cores also run both bridges. Batched, a
 * burst is one call per {@link #capacity} frames; a lone frame still costs one.
 *
 * <p>Frames are read and written through direct views (plain loads and stores). Not thread-safe:
 * one instance per direction, used by that direction's thread.
 */
final class PacketMessages {
    /** struct mmsghdr: a msghdr (56 bytes) and the kernel's msg_len, padded. */
    static final int MMSGHDR = 64;
    static final int MSG_LEN = 56;
    static final int MSG_NAMELEN = 8;
    static final int MSG_CONTROLLEN = 40;
    static final int MSG_FLAGS = 48;
    static final int IOVEC = 16;
    /** sockaddr_ll, rounded up to keep each one 8-byte aligned. */
    static final int NAME = 24;
    static final int SOCKADDR_LL = 20;
    static final int CONTROL = 64;

    private final int capacity;
    private final int slot;
    private final Memory vec;
    private final Memory iovs;
    private final Memory names;
    private final Memory controls;
    private final Memory frames;
    private final ByteBuffer vecView;
    private final ByteBuffer iovView;
    private final ByteBuffer nameView;
    private final ByteBuffer controlView;
    private final ByteBuffer frameView;
    private final long vecAddress;

    /**
     * {@code capacity} messages of up to {@code slot} bytes each. The frame memory is only
     * reserved: pages are touched (resident) as frames land in them.
     */
    PacketMessages(int capacity, int slot) {
        this.capacity = capacity;
        this.slot = slot;
        vec = new Memory((long) capacity * MMSGHDR);
        iovs = new Memory((long) capacity * IOVEC);
        names = new Memory((long) capacity * NAME);
        controls = new Memory((long) capacity * CONTROL);
        frames = new Memory((long) capacity * slot);
        vec.clear();
        for (int i = 0; i < capacity; i++) {
            long h = (long) i * MMSGHDR;
            iovs.setPointer((long) i * IOVEC, frames.share((long) i * slot));
            iovs.setLong((long) i * IOVEC + 8, slot);
            vec.setPointer(h, names.share((long) i * NAME));
            vec.setPointer(h + 16, iovs.share((long) i * IOVEC));
            vec.setLong(h + 24, 1);
            vec.setPointer(h + 32, controls.share((long) i * CONTROL));
        }
        vecView = NativeIo.view(vec);
        iovView = NativeIo.view(iovs);
        nameView = NativeIo.view(names);
        controlView = NativeIo.view(controls);
        frameView = NativeIo.view(frames);
        vecAddress = Pointer.nativeValue(vec);
    }

    int capacity() {
        return capacity;
    }

    /** The mmsghdr array's address, message {@code first} on. */
    long address(int first) {
        return vecAddress + (long) first * MMSGHDR;
    }

    /** Before a recvmmsg: every message's name and control room and flags as the kernel expects them. */
    void prepareReceive() {
        for (int i = 0; i < capacity; i++) {
            int h = i * MMSGHDR;
            vecView.putInt(h + MSG_NAMELEN, SOCKADDR_LL);
            vecView.putLong(h + MSG_CONTROLLEN, CONTROL);
            vecView.putInt(h + MSG_FLAGS, 0);
        }
    }

    /** Message {@code i} as a frame to send: copied into its slot, without name or control data. */
    void put(int i, byte[] src, int off, int len) {
        frameView.put(i * slot, src, off, len);
        iovView.putLong(i * IOVEC + 8, len);
        int h = i * MMSGHDR;
        vecView.putInt(h + MSG_NAMELEN, 0);
        vecView.putLong(h + MSG_CONTROLLEN, 0);
        vecView.putInt(h + MSG_FLAGS, 0);
    }

    /** Bytes the kernel received into message {@code i}. */
    int length(int i) {
        return vecView.getInt(i * MMSGHDR + MSG_LEN);
    }

    /** Whether message {@code i} was cut to its slot, or is a frame we sent ourselves. */
    boolean skipped(int i, int outgoingType) {
        return (vecView.getInt(i * MMSGHDR + MSG_FLAGS) & PacketSocketPort.MSG_TRUNC) != 0
                || (nameView.get(i * NAME + 10) & 0xff) == outgoingType;
    }

    /** Message {@code i}'s control bytes received. */
    long controlLength(int i) {
        return vecView.getLong(i * MMSGHDR + MSG_CONTROLLEN);
    }

    ByteBuffer controls() {
        return controlView;
    }

    ByteBuffer frames() {
        return frameView;
    }

    int slot() {
        return slot;
    }

}
