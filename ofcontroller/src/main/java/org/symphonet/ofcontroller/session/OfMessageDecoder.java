package org.symphonet.ofcontroller.session;

import java.util.List;

import org.projectfloodlight.openflow.exceptions.OFParseError;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFMessageReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * Splits the byte stream into OpenFlow messages (8-byte header, 16-bit length at offset 2) and
 * parses them with Loxi. A message Loxi cannot parse (a vendor extension, a newer type) is skipped,
 * not fatal: the session goes on.
 */
public final class OfMessageDecoder extends ByteToMessageDecoder {

    private static final Logger log = LoggerFactory.getLogger(OfMessageDecoder.class);
    private static final int HEADER = 8;

    private final OFMessageReader<OFMessage> reader = OFFactories.getGenericReader();

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
                OFMessage m = reader.readFrom(slice);
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
}
