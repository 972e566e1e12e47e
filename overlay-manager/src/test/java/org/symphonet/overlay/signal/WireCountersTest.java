package org.symphonet.overlay.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

import org.junit.jupiter.api.Test;

class WireCountersTest {

    @Test
    void countsBytesBothWaysOnSocketsItMakesAndStanzasItIsTold() throws Exception {
        WireCounters w = new WireCounters();
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread echo = new Thread(() -> {
                try (Socket s = server.accept()) {
                    byte[] buf = s.getInputStream().readNBytes(5);
                    s.getOutputStream().write(buf);
                    s.getOutputStream().write(buf, 0, 3);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            echo.start();
            try (Socket s = w.socketFactory().createSocket()) {
                // As Smack does: an unconnected socket from the factory, connected afterwards.
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), 2000);
                OutputStream out = s.getOutputStream();
                out.write("<a/>".getBytes());
                out.write('\n');
                InputStream in = s.getInputStream();
                assertEquals(8, in.readNBytes(8).length);
                assertEquals(-1, in.read());
            }
            echo.join(5000);
        }
        w.stanzaIn();
        w.stanzaIn();
        w.stanzaOut();
        assertEquals(new XmppTraffic(2, 1, 8, 5), w.snapshot());
    }
}
