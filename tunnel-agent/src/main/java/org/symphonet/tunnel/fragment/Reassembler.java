package org.symphonet.tunnel.fragment;

/**
 * Puts fragments back together. A few slots, each with a preallocated buffer;
 * when all are busy the oldest incomplete frame is dropped (fragments of a lost
 * record never complete, and must not pin a slot forever).
 *
 * <p>Every header field is checked against the slot and against bounds: the
 * record is authenticated, but a buggy or hostile peer must still not be able
 * to write outside a buffer or splice two frames.
 *
 * <p>Single-threaded: owned by the receiving thread.
 */
public final class Reassembler {
    /** Result of {@link #accept}: fragment stored, frame not yet complete. */
    public static final int INCOMPLETE = -1;
    /** Result of {@link #accept}: fragment malformed or inconsistent; dropped. */
    public static final int INVALID = -2;

    private final int maxFrame;
    private final int[] frameId;
    private final int[] count;
    private final int[] total;
    private final int[] mask;
    private final long[] age;
    private final byte[][] buffers;
    private long clock;
    private long evicted;
    private byte[] completed;

    public Reassembler(int slots, int maxFrame) {
        this.maxFrame = maxFrame;
        frameId = new int[slots];
        count = new int[slots];
        total = new int[slots];
        mask = new int[slots];
        age = new long[slots];
        buffers = new byte[slots][maxFrame];
        java.util.Arrays.fill(frameId, -1);
    }

    /**
     * Takes one FRAGMENT message (starting with its type byte).
     *
     * @return the length of a now-complete frame, readable from {@link #frame()}
     *     until the next call; or {@link #INCOMPLETE} or {@link #INVALID}
     */
    public int accept(byte[] msg, int off, int len) {
        if (len <= Fragmenter.HEADER || msg[off] != MessageType.FRAGMENT) {
            return INVALID;
        }
        int id = u16(msg, off + 1);
        int index = msg[off + 3] & 0xFF;
        int n = msg[off + 4] & 0xFF;
        int pos = u16(msg, off + 5);
        int frameLen = u16(msg, off + 7);
        int dataLen = len - Fragmenter.HEADER;
        if (n < 2 || n > Fragmenter.MAX_FRAGMENTS || index >= n || frameLen > maxFrame
                || pos + dataLen > frameLen) {
            return INVALID;
        }
        int slot = find(id);
        if (slot < 0) {
            slot = claim(id, n, frameLen);
        } else if (count[slot] != n || total[slot] != frameLen) {
            release(slot);
            return INVALID;
        }
        int bit = 1 << index;
        if ((mask[slot] & bit) != 0) {
            return INVALID;
        }
        mask[slot] |= bit;
        System.arraycopy(msg, off + Fragmenter.HEADER, buffers[slot], pos, dataLen);
        if (mask[slot] != (1 << n) - 1) {
            return INCOMPLETE;
        }
        completed = buffers[slot];
        release(slot);
        return frameLen;
    }

    /** Buffer holding the frame completed by the last {@link #accept}. */
    public byte[] frame() {
        return completed;
    }

    /** Incomplete frames pushed out to make room: lost fragments show up here. */
    public long evicted() {
        return evicted;
    }

    private int find(int id) {
        for (int i = 0; i < frameId.length; i++) {
            if (frameId[i] == id) {
                return i;
            }
        }
        return -1;
    }

    private int claim(int id, int n, int frameLen) {
        int victim = 0;
        for (int i = 0; i < frameId.length; i++) {
            if (frameId[i] < 0) {
                victim = i;
                break;
            }
            if (age[i] < age[victim]) {
                victim = i;
            }
        }
        if (frameId[victim] >= 0) {
            evicted++;
        }
        frameId[victim] = id;
        count[victim] = n;
        total[victim] = frameLen;
        mask[victim] = 0;
        age[victim] = ++clock;
        return victim;
    }

    private void release(int slot) {
        frameId[slot] = -1;
        mask[slot] = 0;
    }

    private static int u16(byte[] b, int off) {
        return ((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF);
    }
}
