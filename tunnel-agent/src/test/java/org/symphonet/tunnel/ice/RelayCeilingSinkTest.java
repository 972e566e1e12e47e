package org.symphonet.tunnel.ice;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** The relay ceiling's sink on loopback: its figures leave out the blaster's warm-up. */
class RelayCeilingSinkTest {

    @Test
    void theWarmUpSecondsAreLeftOutOfWhatTheSinkCounts() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        int port;
        try (DatagramSocket probe = new DatagramSocket(0, loopback)) {
            port = probe.getLocalPort();
        }
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        try (DatagramSocket sender = new DatagramSocket(0, loopback)) {
            Thread sink = new Thread(() -> {
                try {
                    RelayCeiling.sink(port, (InetSocketAddress) sender.getLocalSocketAddress(), 1, 1,
                            new PrintStream(text, true, StandardCharsets.UTF_8));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            sink.start();
            Thread.sleep(300);
            // 2.5 s of numbered datagrams, one a millisecond: the sink counts the last 1.5 s.
            byte[] d = new byte[1000];
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2500);
            for (long seq = 0; System.nanoTime() < end; seq++) {
                RelayCeiling.putLong(d, 0, seq);
                sender.send(new DatagramPacket(d, d.length, loopback, port));
                Thread.sleep(1);
            }
            sink.join(10_000);
        }
        String out = text.toString(StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("RECEIVED \\d+ Mbit/s \\d+ bytes in ([0-9.]+) s").matcher(out);
        assertTrue(m.find(), out);
        double secs = Double.parseDouble(m.group(1));
        assertTrue(secs > 1.2 && secs < 1.8, "counted " + secs + " s of 2.5 s sent after a 1-s warm-up:\n" + out);
    }
}
