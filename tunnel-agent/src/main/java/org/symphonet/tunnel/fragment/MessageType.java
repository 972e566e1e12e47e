package org.symphonet.tunnel.fragment;

/**
 * First byte of every tunnel message, i.e. of the plaintext of every DTLS
 * application-data record. One record carries one whole Ethernet frame, one
 * fragment of a frame, or one control message.
 */
public final class MessageType {
    /** A whole Ethernet frame follows. */
    public static final byte FRAME = 1;
    /** A fragment: {@link Fragmenter#HEADER} bytes of header, then data. */
    public static final byte FRAGMENT = 2;
    /** Keepalive request: u32 sequence, u64 sender timestamp (ns). */
    public static final byte KEEPALIVE = 3;
    /** Keepalive answer: the request body echoed. */
    public static final byte KEEPALIVE_ACK = 4;
    /** The sender is tearing the tunnel down. */
    public static final byte CLOSE = 5;

    private MessageType() {
    }
}
