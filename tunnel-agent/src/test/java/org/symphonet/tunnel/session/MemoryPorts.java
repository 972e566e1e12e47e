package org.symphonet.tunnel.session;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.symphonet.tunnel.tap.FramePort;

/**
 * A real, in-memory frame port (no TAP needed): frames the test injects are "read
 * from the TAP", frames the tunnel writes are collected for the test to check.
 */
final class MemoryPorts implements PortFactory {
    final BlockingQueue<byte[]> toTunnel = new ArrayBlockingQueue<>(10000);
    final BlockingQueue<byte[]> fromTunnel = new ArrayBlockingQueue<>(10000);
    volatile boolean closed;
    volatile String openedName;

    @Override
    public BoundPort open(String name, String bridge) {
        openedName = name;
        FramePort port = new FramePort() {
            private volatile boolean stopped;

            @Override
            public int read(byte[] dst, int off, int max, IdleHook beforeWait) throws java.io.IOException {
                try {
                    while (!stopped) {
                        byte[] f = toTunnel.poll();
                        if (f == null) {
                            beforeWait.idle();
                            f = toTunnel.poll(100, TimeUnit.MILLISECONDS);
                        }
                        if (f != null) {
                            System.arraycopy(f, 0, dst, off, f.length);
                            return f.length;
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return -1;
            }

            @Override
            public boolean write(byte[] src, int off, int len) {
                byte[] copy = new byte[len];
                System.arraycopy(src, off, copy, 0, len);
                return fromTunnel.offer(copy);
            }

            @Override
            public void stopReading() {
                stopped = true;
            }
        };
        return BoundPort.of(name, port, () -> {
            port.stopReading();
            closed = true;
        });
    }
}
