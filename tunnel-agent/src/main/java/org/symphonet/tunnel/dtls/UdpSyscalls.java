package org.symphonet.tunnel.dtls;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The UDP socket calls {@link MmsgUdpPath} needs that the JDK does not offer
 * (sendmmsg, recvmmsg), JNA direct-mapped. Linux x86-64/aarch64 layouts.
 */
final class UdpSyscalls {
    static final int AF_INET = 2;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int SOL_SOCKET = 1;
    static final int SO_SNDBUF = 7;
    static final int SO_RCVBUF = 8;
    static final int SO_RCVTIMEO = 20;
    static final int MSG_WAITFORONE = 0x10000;
    static final int MSG_DONTWAIT = 0x40;
    static final int SHUT_RDWR = 2;
    static final int EAGAIN = 11;
    static final int EINTR = 4;
    static final int EIO = 5;
    static final int EINVAL = 22;
    static final int SOL_UDP = 17;
    static final int UDP_SEGMENT = 103;
    /** Kernel limits for one segmented send (UDP_MAX_SEGMENTS, and the 64 KiB IP datagram). */
    static final int GSO_MAX_SEGMENTS = 64;
    static final int GSO_MAX_BYTES = 65000;
    /** CMSG_LEN(sizeof(uint16_t)) and CMSG_SPACE(sizeof(uint16_t)) on 64-bit Linux. */
    static final int CMSG_GSO_LEN = 18;
    static final int CMSG_GSO_SPACE = 24;

    static final int SOCKADDR_IN = 16;
    static final int IOVEC = 16;
    /** struct mmsghdr: a 56-byte msghdr, then msg_len, padded to 64. */
    static final int MMSGHDR = 64;
    static final int MSG_NAME = 0;
    static final int MSG_NAMELEN = 8;
    static final int MSG_IOV = 16;
    static final int MSG_IOVLEN = 24;
    static final int MSG_CONTROL = 32;
    static final int MSG_CONTROLLEN = 40;
    static final int MSG_FLAGS = 48;
    static final int MSG_LEN = 56;

    static {
        Native.register(Platform.C_LIBRARY_NAME);
    }

    private UdpSyscalls() {
    }

    static native int socket(int domain, int type, int protocol);

    static native int bind(int fd, Pointer addr, int len);

    static native int getsockname(int fd, Pointer addr, Pointer len);

    static native int setsockopt(int fd, int level, int name, Pointer value, int len);

    static native int sendmmsg(int fd, Pointer vec, int vlen, int flags);

    static native int recvmmsg(int fd, Pointer vec, int vlen, int flags, Pointer timeout);

    static native long sendto(int fd, Pointer buf, long len, int flags, Pointer addr, int addrLen);

    static native int shutdown(int fd, int how);

    static native int close(int fd);

    static int errno() {
        return Native.getLastError();
    }
}
