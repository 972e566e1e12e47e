package org.symphonet.tunnel.tap;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.sun.jna.Memory;

/** Interface settings through the classic {@code ioctl}s: MTU, transmit queue length, up. */
final class LinkSettings {

    private LinkSettings() {
    }

    /** Brings {@code name} up; sets its MTU and queue length unless they are 0. */
    static void configure(String name, int mtu, int queueLength) throws IOException {
        int sock = LibC.socket(LibC.AF_INET, LibC.SOCK_DGRAM, 0);
        if (sock < 0) {
            throw new IOException("socket: errno " + LibC.errno());
        }
        try {
            Memory ifr;
            if (mtu > 0) {
                ifr = ifreq(name);
                ifr.setInt(LibC.IFNAMSIZ, mtu);
                LibC.check(LibC.ioctl(sock, LibC.SIOCSIFMTU, ifr), "SIOCSIFMTU " + name + " " + mtu);
            }
            if (queueLength > 0) {
                ifr = ifreq(name);
                ifr.setInt(LibC.IFNAMSIZ, queueLength);
                LibC.check(LibC.ioctl(sock, LibC.SIOCSIFTXQLEN, ifr), "SIOCSIFTXQLEN " + name + " " + queueLength);
            }
            ifr = ifreq(name);
            LibC.check(LibC.ioctl(sock, LibC.SIOCGIFFLAGS, ifr), "SIOCGIFFLAGS " + name);
            short flags = ifr.getShort(LibC.IFNAMSIZ);
            if ((flags & LibC.IFF_UP) == 0) {
                ifr.setShort(LibC.IFNAMSIZ, (short) (flags | LibC.IFF_UP));
                LibC.check(LibC.ioctl(sock, LibC.SIOCSIFFLAGS, ifr), "SIOCSIFFLAGS " + name);
            }
        } finally {
            LibC.close(sock);
        }
    }

    /**
     * Keeps the host's own IPv6 stack off a device that only carries overlay frames: otherwise
     * it sends router solicitations and MLD reports out of it, into the overlay.
     */
    static void withoutHostIpv6(String name) {
        Path knob = Path.of("/proc/sys/net/ipv6/conf", name, "disable_ipv6");
        try {
            if (Files.exists(knob)) {
                Files.writeString(knob, "1");
            }
        } catch (IOException e) {
            // Not fatal: the frames are still carried, only with some host chatter among them.
        }
    }

    static Memory ifreq(String name) {
        Memory ifr = new Memory(LibC.IFREQ_SIZE);
        ifr.clear();
        byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        ifr.write(0, bytes, 0, bytes.length);
        return ifr;
    }
}
