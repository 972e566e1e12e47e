package org.symphonet.tunnel.fragment;

import java.io.IOException;

/**
 * Splits a frame that does not fit one record into fragments, each a complete
 * tunnel message. Leaves keep MTU 1500 although the path (after IP, UDP, DTLS and
 * maybe TURN headers) carries less.
 *
 * <p>Fragment header (after the type byte): frame id u16, index u8, count u8,
 * offset u16, total length u16. Fragments are of near-equal size, so a 1514-byte
 * frame becomes two ~760-byte records rather than a full one and a sliver.
 *
 * <p>One instance per sending thread: it owns its scratch buffer, and allocates
 * nothing per frame.
 */
public final class Fragmenter {
    /** Type byte plus the fragment header. */
    public static final int HEADER = 9;
    public static final int MAX_FRAGMENTS = 16;

    private final int maxRecordPayload;
    private final byte[] scratch;
    private int nextFrameId;

    /** @param maxRecordPayload the largest plaintext one record can carry on this path */
    public Fragmenter(int maxRecordPayload) {
        if (maxRecordPayload <= HEADER + 64) {
            throw new IllegalArgumentException("record payload too small to fragment into: " + maxRecordPayload);
        }
        this.maxRecordPayload = maxRecordPayload;
        this.scratch = new byte[maxRecordPayload];
    }

    public int maxRecordPayload() {
        return maxRecordPayload;
    }

    /** True if a frame of this length fits one FRAME message. */
    public boolean fitsWhole(int frameLength) {
        return frameLength + 1 <= maxRecordPayload;
    }

    /**
     * Sends {@code frame[off, off+len)} as fragments through {@code sink}.
     *
     * @return number of fragments sent, or 0 if the frame is too large even for
     *     {@link #MAX_FRAGMENTS} fragments (the caller counts a drop)
     */
    public int send(byte[] frame, int off, int len, RecordSink sink) throws IOException {
        int room = maxRecordPayload - HEADER;
        int count = (len + room - 1) / room;
        if (count > MAX_FRAGMENTS || len > 0xFFFF || len == 0) {
            return 0;
        }
        int chunk = (len + count - 1) / count;
        int id = nextFrameId;
        nextFrameId = (nextFrameId + 1) & 0xFFFF;
        for (int i = 0, pos = 0; i < count; i++, pos += chunk) {
            int n = Math.min(chunk, len - pos);
            scratch[0] = MessageType.FRAGMENT;
            scratch[1] = (byte) (id >>> 8);
            scratch[2] = (byte) id;
            scratch[3] = (byte) i;
            scratch[4] = (byte) count;
            scratch[5] = (byte) (pos >>> 8);
            scratch[6] = (byte) pos;
            scratch[7] = (byte) (len >>> 8);
            scratch[8] = (byte) len;
            System.arraycopy(frame, off + pos, scratch, HEADER, n);
            sink.send(scratch, 0, HEADER + n);
        }
        return count;
    }
}
