package org.symphonet.ofcontroller.flood;

import java.util.Arrays;

import org.symphonet.ofcontroller.view.NodeId;

/**
 * One decoded FRB (flooding route and bound) frame.
 *
 * @param type     flood or leaf announcement
 * @param hops     bridges this copy has crossed since the root
 * @param seq      the root's sequence number of this broadcast (unsigned 32 bits)
 * @param root     the bridge where the broadcast entered the overlay
 * @param boundEnd the end (exclusive) of the ring interval the receiver is responsible for
 * @param payload  the original Ethernet frame (flood) or the announced MACs, 6 bytes each (announcement)
 * @param addresses announcements only: the IPv4 addresses of the root's leaves, {@link FrbCodec#ADDRESS_ENTRY}
 *                 bytes each (MAC, address); empty for none and for floods
 */
public record Frb(FrbType type, int hops, long seq, NodeId root, NodeId boundEnd, byte[] payload, byte[] addresses) {

    private static final byte[] NONE = new byte[0];

    /** An FRB without leaf addresses. */
    public Frb(FrbType type, int hops, long seq, NodeId root, NodeId boundEnd, byte[] payload) {
        this(type, hops, seq, root, boundEnd, payload, NONE);
    }

    public Frb {
        if (addresses.length % FrbCodec.ADDRESS_ENTRY != 0 || (addresses.length > 0 && type != FrbType.LEAF_ANNOUNCEMENT)) {
            throw new IllegalArgumentException("addresses: " + addresses.length + " bytes on a " + type);
        }
        if (hops < 0 || hops > FrbCodec.MAX_HOPS) {
            throw new IllegalArgumentException("hops out of range: " + hops);
        }
        if (seq < 0 || seq > 0xffff_ffffL) {
            throw new IllegalArgumentException("seq out of range: " + seq);
        }
    }

    /** The same broadcast, handed on with a new bound and one more hop. */
    public Frb forwarded(NodeId newBound) {
        return new Frb(type, hops + 1, seq, root, newBound, payload, addresses);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Frb f && type == f.type && hops == f.hops && seq == f.seq
                && root.equals(f.root) && boundEnd.equals(f.boundEnd) && Arrays.equals(payload, f.payload)
                && Arrays.equals(addresses, f.addresses);
    }

    @Override
    public int hashCode() {
        return (root.hashCode() * 31 + Long.hashCode(seq)) * 31 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "Frb[" + type + " root=" + root.shortHex() + " seq=" + seq + " bound=" + boundEnd.shortHex()
                + " hops=" + hops + " payload=" + payload.length + "B" + (addresses.length > 0 ? " addresses="
                + addresses.length / FrbCodec.ADDRESS_ENTRY : "") + "]";
    }
}
