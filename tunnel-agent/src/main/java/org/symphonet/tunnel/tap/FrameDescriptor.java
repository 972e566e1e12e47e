package org.symphonet.tunnel.tap;

/**
 * What a port's descriptor is to native code that carries frames on it ({@code dtls.LoneHop}),
 * the same way the port's own read and write do. The numbers are the native code's.
 */
public enum FrameDescriptor {
    /** Not to be used by native code. */
    NONE(0),
    /** One read(2) is one whole frame, one write(2) takes one: a TAP. */
    READ_WRITE(1),
    /**
     * An AF_PACKET socket with PACKET_AUXDATA: recvmsg(2) skips our own frames and puts back a
     * VLAN tag the kernel moved into the auxiliary data; send(2) drops for lack of room or device.
     */
    PACKET_SOCKET(2),
    /**
     * A TAP opened with IFF_VNET_HDR and no offloads: as {@link #READ_WRITE}, but each read
     * starts with a virtio-net header to skip (always plain: the kernel segments and checksums
     * before the TAP) and each write needs one (zero: a plain frame).
     */
    READ_WRITE_VNET(3);

    private final int code;

    FrameDescriptor(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
