package org.symphonet.ofcontroller.session;

import java.util.ArrayList;
import java.util.List;

import org.projectfloodlight.openflow.exceptions.OFParseError;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFHelloElem;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFMessageReader;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.U32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * Splits the byte stream into OpenFlow messages (8-byte header, 16-bit length at offset 2) and
 * parses them with Loxi. A message Loxi cannot parse (a vendor extension, a newer type) is skipped,
 * not fatal: the session goes on.
 *
 * <p>Only OpenFlow 1.3 is parsed by Loxi: the runnable jar leaves out Loxi's classes of the other
 * versions (12,935 of the jar's 35,816 entries; the JVM keeps the central directory of the jar in
 * every node's heap, ~120 bytes an entry). A switch may still open with a HELLO of another version
 * (Open vSwitch sends its highest allowed one, with a version bitmap): that HELLO is read here by
 * hand and handed on as a 1.3 HELLO carrying the same bitmap, so version negotiation is unchanged.
 * Without a bitmap the HELLO says only its own version: one of 1.3 or later speaks 1.3 too (the
 * lower of the two is used), an older one does not, and the bitmap handed on says so. Any other
 * message of another version is skipped like an unparsable one.
 */
public final class OfMessageDecoder extends ByteToMessageDecoder {

    private static final Logger log = LoggerFactory.getLogger(OfMessageDecoder.class);
    private static final int HEADER = 8;

    private static final int OF13 = OFVersion.OF_13.getWireVersion();
    private static final int HELLO = 0;
    private static final int HELLO_ELEM_VERSIONBITMAP = 1;

    private final OFFactory factory = OFFactories.getFactory(OFVersion.OF_13);
    private final OFMessageReader<OFMessage> reader = factory.getReader();

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.readableBytes() >= HEADER) {
            int start = in.readerIndex();
            int length = in.getUnsignedShort(start + 2);
            if (length < HEADER) {
                throw new IllegalStateException("OpenFlow message with impossible length " + length);
            }
            if (in.readableBytes() < length) {
                return;
            }
            ByteBuf slice = in.retainedSlice(start, length);
            in.skipBytes(length);
            try {
                int version = slice.getUnsignedByte(0);
                OFMessage m = version == OF13 ? reader.readFrom(slice) : otherVersion(slice, version);
                if (m != null) {
                    out.add(m);
                }
            } catch (OFParseError | RuntimeException e) {
                log.debug("skipped unparsable OpenFlow message (type {}, {} bytes): {}",
                        slice.getUnsignedByte(1), length, e.toString());
            } finally {
                slice.release();
            }
        }
    }

    /** A message of a version other than 1.3: a HELLO as a 1.3 HELLO with the same versions, else null. */
    private OFMessage otherVersion(ByteBuf m, int version) {
        if (m.getUnsignedByte(1) != HELLO) {
            log.debug("skipped OpenFlow message of wire version {} (type {})", version, m.getUnsignedByte(1));
            return null;
        }
        long xid = m.getUnsignedInt(4);
        List<OFHelloElem> elements = new ArrayList<>();
        int at = HEADER;
        int end = m.readableBytes();
        while (at + 4 <= end) {
            int type = m.getUnsignedShort(at);
            int length = m.getUnsignedShort(at + 2);
            if (length < 4 || at + length > end) {
                break;
            }
            if (type == HELLO_ELEM_VERSIONBITMAP) {
                List<U32> bitmaps = new ArrayList<>();
                for (int b = at + 4; b + 4 <= at + length; b += 4) {
                    bitmaps.add(U32.of(m.getUnsignedInt(b)));
                }
                elements.add(factory.buildHelloElemVersionbitmap().setBitmaps(bitmaps).build());
            }
            at += (length + 7) / 8 * 8; // elements are padded to 8 bytes
        }
        if (elements.isEmpty()) {
            long bits = version > OF13 ? 1L << OF13 : 1L << version;
            elements.add(factory.buildHelloElemVersionbitmap().setBitmaps(List.of(U32.of(bits))).build());
        }
        log.debug("HELLO of wire version {} read as 1.3 with its version bitmap", version);
        return factory.buildHello().setXid(xid).setElements(elements).build();
    }
}
