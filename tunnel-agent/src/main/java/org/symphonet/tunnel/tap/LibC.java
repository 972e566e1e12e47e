package org.symphonet.tunnel.tap;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The few libc calls a TAP device needs, JNA direct-mapped: direct mapping skips
 * the reflection of interface mapping on every read and write of the data path.
 */
final class LibC {
    static final int O_RDWR = 2;
    static final int O_NONBLOCK = 0x800;
    static final int O_CLOEXEC = 0x80000;
    static final int F_GETFL = 3;
    static final int F_SETFL = 4;
    static final int EAGAIN = 11;
    static final int EINTR = 4;
    static final short POLLIN = 1;
    static final int AF_INET = 2;
    static final int SOCK_DGRAM = 2;
    static final int AF_PACKET = 17;
    static final int SOCK_RAW = 3;
    static final int SOCK_NONBLOCK = 0x800;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int ETH_P_ALL = 0x0003;
    static final int SOL_SOCKET = 1;
    static final int SO_RCVBUF = 8;
    static final int SO_SNDBUF = 7;
    static final int SO_SNDBUFFORCE = 32;
    static final int SO_RCVBUFFORCE = 33;
    static final int SOL_PACKET = 263;
    static final int PACKET_AUXDATA = 8;
    static final int PACKET_IGNORE_OUTGOING = 23;
    static final int PACKET_OUTGOING = 4;
    static final int TP_STATUS_VLAN_VALID = 0x10;
    static final int TP_STATUS_VLAN_TPID_VALID = 0x40;
    static final int ENXIO = 6;
    static final int ENODEV = 19;
    static final int EMSGSIZE = 90;
    static final int ENETDOWN = 100;
    static final int ENOBUFS = 105;
    static final long SIOCSIFTXQLEN = 0x8943;

    /** _IOW('T', 202, int) from linux/if_tun.h. */
    static final long TUNSETIFF = 0x400454caL;
    static final long SIOCGIFFLAGS = 0x8913;
    static final long SIOCSIFFLAGS = 0x8914;
    static final long SIOCSIFMTU = 0x8922;
    static final short IFF_TAP = 0x0002;
    static final short IFF_NO_PI = 0x1000;
    /** Every read and write of the TAP carries a struct virtio_net_hdr in front of the frame. */
    static final short IFF_VNET_HDR = 0x4000;
    static final short IFF_UP = 0x1;

    /** struct ifreq: 16-byte name, then a 24-byte union (flags or mtu at offset 16). */
    static final int IFREQ_SIZE = 40;
    static final int IFNAMSIZ = 16;

    static {
        Native.register(Platform.C_LIBRARY_NAME);
    }

    private LibC() {
    }

    static native int open(String path, int flags);

    static native int close(int fd);

    static native long read(int fd, Pointer buf, long count);

    static native long write(int fd, Pointer buf, long count);

    static native int ioctl(int fd, long request, Pointer arg);

    static native int fcntl(int fd, int cmd, int arg);

    static native int poll(Pointer fds, long nfds, int timeoutMillis);

    static native int ppoll(Pointer fds, long nfds, Pointer timeout, Pointer sigmask);

    static native int prctl(int option, long arg2, long arg3, long arg4, long arg5);

    static native int socket(int domain, int type, int protocol);

    static native int bind(int fd, Pointer addr, int len);

    static native int setsockopt(int fd, int level, int name, Pointer value, int len);

    static native long recvmsg(int fd, Pointer msg, int flags);

    static native long send(int fd, Pointer buf, long len, int flags);

    static native int if_nametoindex(String name);

    static int errno() {
        return Native.getLastError();
    }

    /** Turns a failed call (negative result) into an exception that names it and the errno. */
    static void check(int rc, String what) throws java.io.IOException {
        if (rc < 0) {
            throw new java.io.IOException(what + " failed: errno " + errno());
        }
    }
}
