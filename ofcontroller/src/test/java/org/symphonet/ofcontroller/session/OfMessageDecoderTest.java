package org.symphonet.ofcontroller.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFEchoRequest;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFHello;
import org.projectfloodlight.openflow.protocol.OFHelloElemVersionbitmap;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.U32;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

/** Version handling of the decoder: the runnable jar holds Loxi's 1.3 classes only (see the class). */
class OfMessageDecoderTest {

    private static final OFFactory OF13 = OFFactories.getFactory(OFVersion.OF_13);

    private static OFMessage decode(OFMessage... sent) {
        EmbeddedChannel ch = new EmbeddedChannel(new OfMessageDecoder());
        ByteBuf buf = Unpooled.buffer();
        for (OFMessage m : sent) {
            m.writeTo(buf);
        }
        ch.writeInbound(buf);
        return ch.readInbound();
    }

    private static long bitmap(OFMessage m) {
        OFHello hello = assertInstanceOf(OFHello.class, m);
        assertEquals(OFVersion.OF_13, hello.getVersion(), "handed on as a 1.3 HELLO");
        OFHelloElemVersionbitmap vb = assertInstanceOf(OFHelloElemVersionbitmap.class, hello.getElements().get(0));
        return vb.getBitmaps().get(0).getValue();
    }

    @Test
    void aNewerHelloWithABitmapKeepsItsBitmapAndXid() {
        OFFactory of15 = OFFactories.getFactory(OFVersion.OF_15);
        long bits = (1 << 1) | (1 << 4) | (1 << 5) | (1 << 6);
        OFMessage got = decode(of15.buildHello().setXid(77).setElements(List.of(
                of15.buildHelloElemVersionbitmap().setBitmaps(List.of(U32.of(bits))).build())).build());
        assertEquals(bits, bitmap(got));
        assertEquals(77, got.getXid());
    }

    @Test
    void aHelloWithoutBitmapSaysOnlyWhetherItSpeaks13() {
        assertEquals(1L << 4, bitmap(decode(OFFactories.getFactory(OFVersion.OF_14).buildHello().setXid(1).build())),
                "1.4 without a bitmap: the lower version, 1.3, is used");
        assertEquals(1L << 1, bitmap(decode(OFFactories.getFactory(OFVersion.OF_10).buildHello().setXid(1).build())),
                "1.0 without a bitmap does not speak 1.3");
    }

    @Test
    void otherMessagesOfOtherVersionsAreSkippedAnd13IsParsedAsBefore() {
        OFFactory of10 = OFFactories.getFactory(OFVersion.OF_10);
        OFMessage got = decode(of10.buildEchoRequest().setXid(5).setData(new byte[0]).build(),
                OF13.buildEchoRequest().setXid(6).setData(new byte[] {1, 2}).build());
        OFEchoRequest echo = assertInstanceOf(OFEchoRequest.class, got);
        assertEquals(OFVersion.OF_13, echo.getVersion());
        assertEquals(6, echo.getXid());
    }

    @Test
    void aHelloOf13IsLoxisOwn() {
        OFMessage got = decode(OF13.buildHello().setXid(9).build());
        OFHello hello = assertInstanceOf(OFHello.class, got);
        assertEquals(9, hello.getXid());
        assertNull(decode());
    }
}
