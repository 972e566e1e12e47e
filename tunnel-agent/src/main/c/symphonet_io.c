/*
 * The system calls of the tunnel's data path, as plain JNI functions (NativeIo.java).
 *
 * Why not JNA, which the rest of the agent uses: a tunnel thread sleeps between the packets of
 * interactive traffic (a ping every 50 ms, a keystroke), so each packet meets cold caches and TLBs,
 * and a JNA call (its generic dispatcher, libffi, argument conversion, a second call for errno)
 * touches far more code and data than this does. Measured after a 50 ms pause, a 100-byte pipe
 * write plus read: JNA 9-16 us, these 5-8 us (median; warm 1.1 vs 0.7 us).
 *
 * Every function takes native addresses as jlong and returns the call's result, or -errno when it
 * failed, so no second call is needed to learn why. Built by the tunnel-agent module (antrun, gcc);
 * without it the agent uses JNA.
 */
#define _GNU_SOURCE
#include <jni.h>
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <linux/if_packet.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define ADDR(a) ((void *) (intptr_t) (a))

static jlong result(ssize_t n) {
    return n < 0 ? -(jlong) errno : (jlong) n;
}

JNIEXPORT jint JNICALL Java_org_symphonet_tunnel_io_NativeIo_version(JNIEnv *env, jclass cls) {
    return 3;
}

JNIEXPORT jlong JNICALL Java_org_symphonet_tunnel_io_NativeIo_read(JNIEnv *env, jclass cls, jint fd,
        jlong buf, jlong len) {
    return result(read(fd, ADDR(buf), (size_t) len));
}

JNIEXPORT jlong JNICALL Java_org_symphonet_tunnel_io_NativeIo_write(JNIEnv *env, jclass cls, jint fd,
        jlong buf, jlong len) {
    return result(write(fd, ADDR(buf), (size_t) len));
}

JNIEXPORT jint JNICALL Java_org_symphonet_tunnel_io_NativeIo_poll(JNIEnv *env, jclass cls, jlong fds,
        jint nfds, jint timeoutMillis) {
    return (jint) result(poll(ADDR(fds), (nfds_t) nfds, timeoutMillis));
}

JNIEXPORT jint JNICALL Java_org_symphonet_tunnel_io_NativeIo_ppoll(JNIEnv *env, jclass cls, jlong fds,
        jint nfds, jlong timeout) {
    return (jint) result(ppoll(ADDR(fds), (nfds_t) nfds, ADDR(timeout), NULL));
}

JNIEXPORT jint JNICALL Java_org_symphonet_tunnel_io_NativeIo_recvmmsg(JNIEnv *env, jclass cls, jint fd,
        jlong vec, jint vlen, jint flags) {
    return (jint) result(recvmmsg(fd, ADDR(vec), (unsigned int) vlen, flags, NULL));
}

JNIEXPORT jint JNICALL Java_org_symphonet_tunnel_io_NativeIo_sendmmsg(JNIEnv *env, jclass cls, jint fd,
        jlong vec, jint vlen, jint flags) {
    return (jint) result(sendmmsg(fd, ADDR(vec), (unsigned int) vlen, flags));
}

JNIEXPORT jlong JNICALL Java_org_symphonet_tunnel_io_NativeIo_sendto(JNIEnv *env, jclass cls, jint fd,
        jlong buf, jlong len, jint flags, jlong addr, jint addrLen) {
    return result(sendto(fd, ADDR(buf), (size_t) len, flags, ADDR(addr), (socklen_t) addrLen));
}

JNIEXPORT jlong JNICALL Java_org_symphonet_tunnel_io_NativeIo_recvmsg(JNIEnv *env, jclass cls, jint fd,
        jlong msg, jint flags) {
    return result(recvmsg(fd, ADDR(msg), flags));
}

JNIEXPORT jlong JNICALL Java_org_symphonet_tunnel_io_NativeIo_send(JNIEnv *env, jclass cls, jint fd,
        jlong buf, jlong len, jint flags) {
    return result(send(fd, ADDR(buf), (size_t) len, flags));
}

/*
 * One TLS-mode AES-GCM record through libcrypto (NativeRecordAead): sets the record's 13-byte
 * additional data (EVP_CTRL_AEAD_TLS1_AAD), then seals or opens it in place with EVP_Cipher.
 * libcrypto's functions come as addresses (JNA loaded the library), so this file needs neither
 * OpenSSL's headers nor a link against it. Returns EVP_Cipher's result, or -1 if the control failed.
 */
typedef int (*ctrl_fn)(void *ctx, int type, int arg, void *ptr);
typedef int (*cipher_fn)(void *ctx, unsigned char *out, const unsigned char *in, unsigned int len);

static int tls_record(ctrl_fn ctrl, cipher_fn cipher, void *ctx, unsigned char *aad, unsigned char *buf, int len) {
    if (ctrl(ctx, 0x16 /* EVP_CTRL_AEAD_TLS1_AAD */, 13, aad) <= 0) {
        return -1;
    }
    return cipher(ctx, buf, buf, (unsigned int) len);
}

JNIEXPORT jint JNICALL Java_org_symphonet_tunnel_io_NativeIo_tlsRecord(JNIEnv *env, jclass cls, jlong ctrl,
        jlong cipher, jlong ctx, jlong aad, jlong buf, jint len) {
    return tls_record((ctrl_fn) ADDR(ctrl), (cipher_fn) ADDR(cipher), ADDR(ctx), ADDR(aad), ADDR(buf), len);
}

/*
 * As tlsRecord, sealing with the whole 12-byte nonce given (EVP_CTRL_AEAD_SET_IV_FIXED, length -1)
 * instead of libcrypto's own counter: the explicit nonce of every record is then its epoch and
 * sequence number, whichever of two sealers (the Java path's, the lone-frame hop's) sealed it.
 */
JNIEXPORT jint JNICALL Java_org_symphonet_tunnel_io_NativeIo_tlsSeal(JNIEnv *env, jclass cls, jlong ctrl,
        jlong cipher, jlong ctx, jlong nonce, jlong aad, jlong buf, jint len) {
    if (((ctrl_fn) ADDR(ctrl))(ADDR(ctx), 0x12 /* EVP_CTRL_AEAD_SET_IV_FIXED */, -1, ADDR(nonce)) <= 0) {
        return -1;
    }
    return Java_org_symphonet_tunnel_io_NativeIo_tlsRecord(env, cls, ctrl, cipher, ctx, aad, buf, len);
}

/*
 * The lone-frame hop (LoneHop.java): one call waits on the TAP and the tunnel's UDP socket and
 * carries one frame either way without returning to Java in between: TAP read, seal, sendto; or
 * recvmmsg, replay check, open, TAP write. Why: a ping 50 ms after the last packet meets cold
 * caches, and every Java frame, object and JNI crossing on its way is a miss (a hop's user-space
 * work was 17-19 us in this machine's fast phase and 82 us in its slow one). Whatever is not a
 * plain case (two sources ready, a frame to fragment or to MSS-clamp, a datagram that is not one
 * record of the session, a message other than a frame) is handed back to the Java path as it is.
 *
 * The struct is native memory Java lays out (LoneHop's offsets). Single-threaded: the tunnel's
 * loop thread, under the socket's receive lock. Nonces: the sealing context is the hop's own
 * (the Java path has its own), and every record's nonce is its sequence number, which Java
 * reserved for this call (unused ones are gaps, which DTLS allows).
 */
struct hop {
    int32_t tap_fd;          /* 0 */
    int32_t udp_fd;          /* 4 */
    int64_t ctrl_fn;         /* 8 */
    int64_t cipher_fn;       /* 16 */
    int64_t seal_ctx;        /* 24 */
    int64_t open_ctx;        /* 32 */
    int64_t rx_vec;          /* 40: the socket's first mmsghdr slot */
    int64_t rx_data;         /* 48: its data (slot_size bytes) */
    int64_t rx_name;         /* 56: its sockaddr_in */
    int32_t slot_size;       /* 64 */
    int32_t send_limit;      /* 68: largest record plaintext */
    int32_t max_frame;       /* 72: largest frame written to the TAP */
    int32_t clamp;           /* 76: 1 when TCP SYNs go the Java way (MSS clamp) */
    int32_t frame_type;      /* 80: the message type of a whole frame */
    int32_t channel;         /* 84: TURN channel of the route, 0 for none */
    unsigned char dest[16];  /* 88: sockaddr_in of the route's next hop */
    int64_t seq;             /* 104: epoch << 48 | sequence number reserved for this call */
    int64_t win_highest;     /* 112: replay window, in and out */
    int64_t win_seen;        /* 120 */
    unsigned char salt[4];   /* 128: the write salt (the nonce's fixed part) */
    int32_t read_cap;        /* 132: room for a frame read from the TAP */
    struct pollfd fds[2];    /* 136 */
    unsigned char nonce[16]; /* 152 */
    unsigned char aad[16];   /* 168 */
    int64_t tap_busy_until;  /* 184: CLOCK_MONOTONIC ns; a frame before this is no lone one (Java's) */
    int64_t sock_busy_until; /* 192: the same for a datagram */
    int32_t port_kind;       /* 200: PORT_READ_WRITE (a TAP), PORT_PACKET_SOCKET or PORT_READ_WRITE_VNET */
    int32_t reread;          /* 204: 1 when the answer to a frame written to the port may be queued within the write */
    struct msghdr port_msg;  /* 208: a packet socket's receive: header, */
    struct iovec port_iov;   /* 264: its one buffer, */
    unsigned char port_name[24];  /* 280: the sockaddr_ll, */
    unsigned char port_ctl[64];   /* 304: the tpacket_auxdata */
    int32_t vnet_length;     /* 368: with HOP_WITH_HEADER, the bytes read (header and frame) */
    int32_t spare;           /* 372 */
    int64_t linger_ns;       /* 376: how long the call waits on after carrying an answer (0: returns at once); see linger() */
    int64_t answer_ns;       /* 384: a frame carried this soon after one the other way is its answer */
    int64_t idle_ns;         /* 392: a frame this soon after the last one that way is a burst's (the Java path's) */
    int64_t last_sent_ns;    /* 400: when the hop last sent a frame (CLOCK_MONOTONIC) */
    int64_t last_delivered_ns; /* 408: when it last wrote one to the port */
    int64_t seq_end;         /* 416: the numbers reserved for this call end here (seq below it may be sealed) */
    /* What the call carried before the result it returns (linger); zeroed on entry: */
    int32_t tally_sent;      /* 424: frames sealed and sent */
    int32_t tally_sent_unicast;      /* 428 */
    int64_t tally_sent_bytes;        /* 432 */
    int32_t tally_delivered; /* 440: frames opened and written to the port */
    int32_t tally_delivered_unicast; /* 444 */
    int64_t tally_delivered_bytes;   /* 448 */
    int64_t request_ns;      /* 456: how long the call waits on, blocked, after a request (0: a look, then Java's AnswerWait) */
    unsigned char tx[];      /* 464: 4 bytes of room for a ChannelData header, then the record */
};

/* Result codes: the low 8 bits; bits 8-31 a length, bits 32-47 an offset, bit 48 unicast. */
enum {
    HOP_NOTHING = 0,       /* the wait ended with nothing to do (timeout, a signal, a read found nothing) */
    HOP_READY = 1,         /* for the Java path: length bit 0 the TAP, bit 1 the socket */
    HOP_SENT = 2,          /* a frame of length bytes went out */
    HOP_TAP_FRAME = 3,     /* a frame of length bytes was read to tx + offset, for the Java path */
    HOP_DELIVERED = 4,     /* a frame of length bytes went to the TAP */
    HOP_OPENED = 5,        /* an authentic message of length bytes at rx_data + offset, for the Java path */
    HOP_REJECTED = 6,      /* a record failed the replay check or its tag: dropped */
    HOP_DATAGRAM = 7,      /* a datagram sits in the socket's first slot, for the Java path */
    HOP_TAP_FULL = 8,      /* an authentic frame of length bytes the TAP refused (no room) */
    HOP_SEND_FAILED = 9,   /* a sealed frame the socket refused: length is the errno */
    HOP_WRITE_FAILED = 10, /* the TAP write failed: length is the errno */
    /* Delivered (length, bit 48), then the port's answer read at once (offset field is its length, bit 49 unicast): */
    HOP_DELIVERED_SENT = 11,        /* sent too */
    HOP_DELIVERED_TAP_FRAME = 12,   /* left to the Java path, at tx + offset of a TAP_FRAME */
    HOP_DELIVERED_SEND_FAILED = 13, /* sealed, refused by the socket */
    HOP_CARRIED = 14       /* linger: frames carried (the tally), then nothing more came */
};

/* With HOP_DELIVERED: the port was read right after the write and held nothing. */
#define HOP_PORT_EMPTY ((jlong) 1 << 50)
/*
 * With HOP_TAP_FRAME or HOP_DELIVERED_TAP_FRAME: what was read from a PORT_READ_WRITE_VNET port
 * needs the Java path's own handling (a TCP superframe, a checksum to complete): it sits with its
 * header VNET_HDR bytes before the usual place, vnet_length bytes in all.
 */
#define HOP_WITH_HEADER ((jlong) 1 << 51)

#define PORT_READ_WRITE 1
#define PORT_PACKET_SOCKET 2
/* A TAP with IFF_VNET_HDR and no offloads: a plain header to skip before each frame read, a zero one before each written. */
#define PORT_READ_WRITE_VNET 3
#define VNET_HDR 10

static const unsigned char zero_vnet_hdr[VNET_HDR];

/*
 * One frame from the port into dst, as the Java path reads it (TapDevice, PacketSocketPort):
 * from a packet socket, frames we sent or that do not fit are skipped, and a VLAN tag the kernel
 * moved into the auxiliary data is put back. Returns the length, or -1 with errno set.
 */
static ssize_t port_read(struct hop *h, unsigned char *dst, size_t cap) {
    if (h->port_kind == PORT_READ_WRITE) {
        return read(h->tap_fd, dst, cap);
    }
    if (h->port_kind == PORT_READ_WRITE_VNET) {
        /* The header lands in front of the frame, where the record's header is written after. */
        ssize_t n = read(h->tap_fd, dst - VNET_HDR, cap + VNET_HDR);
        if (n >= 0 && n < VNET_HDR) {
            /* No frame behind it; as the Java path, nothing to carry: the next read will tell. */
            errno = EAGAIN;
            return -1;
        }
        return n < 0 ? n : n - VNET_HDR;
    }
    for (;;) {
        struct msghdr *m = &h->port_msg;
        h->port_iov.iov_base = dst;
        h->port_iov.iov_len = cap;
        m->msg_name = h->port_name;
        m->msg_namelen = sizeof(struct sockaddr_ll);
        m->msg_iov = &h->port_iov;
        m->msg_iovlen = 1;
        m->msg_control = h->port_ctl;
        m->msg_controllen = sizeof(h->port_ctl);
        m->msg_flags = 0;
        ssize_t n = recvmsg(h->tap_fd, m, 0);
        if (n < 0) {
            return n;
        }
        if ((m->msg_flags & MSG_TRUNC) || ((struct sockaddr_ll *) h->port_name)->sll_pkttype == PACKET_OUTGOING) {
            continue;
        }
        for (struct cmsghdr *c = CMSG_FIRSTHDR(m); c != NULL; c = CMSG_NXTHDR(m, c)) {
            if (c->cmsg_level != SOL_PACKET || c->cmsg_type != PACKET_AUXDATA
                    || c->cmsg_len < CMSG_LEN(sizeof(struct tpacket_auxdata))) {
                continue;
            }
            struct tpacket_auxdata aux;
            memcpy(&aux, CMSG_DATA(c), sizeof(aux));
            if ((aux.tp_status & TP_STATUS_VLAN_VALID) && n >= 12) {
                int tpid = (aux.tp_status & TP_STATUS_VLAN_TPID_VALID) ? aux.tp_vlan_tpid : 0x8100;
                size_t total = (size_t) n + 4 <= cap ? (size_t) n + 4 : cap;
                memmove(dst + 16, dst + 12, total - 16);
                dst[12] = (unsigned char) (tpid >> 8);
                dst[13] = (unsigned char) tpid;
                dst[14] = (unsigned char) (aux.tp_vlan_tci >> 8);
                dst[15] = (unsigned char) aux.tp_vlan_tci;
                n = (ssize_t) total;
            }
        }
        return n;
    }
}

/* One frame to the port; as the Java path, a packet socket's refusals for lack of room or device are drops. */
static int port_write(struct hop *h, const unsigned char *src, size_t len) {
    if (h->port_kind == PORT_READ_WRITE) {
        return write(h->tap_fd, src, len) < 0 ? -1 : 0;
    }
    if (h->port_kind == PORT_READ_WRITE_VNET) {
        struct iovec iov[2] = {{(void *) zero_vnet_hdr, VNET_HDR}, {(void *) src, len}};
        return writev(h->tap_fd, iov, 2) < 0 ? -1 : 0;
    }
    if (send(h->tap_fd, src, len, 0) >= 0) {
        return 0;
    }
    if (errno == ENOBUFS || errno == EMSGSIZE || errno == ENETDOWN || errno == ENXIO || errno == ENODEV) {
        errno = EAGAIN;
    }
    return -1;
}

#define HEADER 13
#define EXPLICIT 8
#define TAG 16
#define PREFIX 4

static jlong hop_result(int code, long length, long offset, int unicast) {
    return (jlong) code | ((jlong) length << 8) | ((jlong) offset << 32) | ((jlong) (unicast ? 1 : 0) << 48);
}

static int u16(const unsigned char *p) {
    return (p[0] << 8) | p[1];
}

/* Whether the MSS clamp may want this frame (a TCP SYN, or anything it would have to parse further). */
static int clamp_candidate(const unsigned char *f, long n) {
    if (n < 14) {
        return 0;
    }
    int type = u16(f + 12);
    if (type == 0x8100 || type == 0x88A8) {
        return 1;
    }
    if (type == 0x0800) {
        if (n < 34 || f[23] != 6) {
            return 0;
        }
        int ihl = (f[14] & 0x0F) * 4;
        if ((u16(f + 20) & 0x1FFF) != 0) {
            return 0;
        }
        return ihl < 20 || n < 14 + ihl + 14 || (f[14 + ihl + 13] & 0x02) != 0;
    }
    if (type == 0x86DD) {
        if (n < 54 || f[20] != 6) {
            return 0;
        }
        return n < 54 + 14 || (f[54 + 13] & 0x02) != 0;
    }
    return 0;
}

/*
 * Seals or opens the record at rec in place with ctx: its additional data (epoch and sequence
 * number, type, version, then aad_length: TLS mode counts the explicit nonce, not the tag), then
 * the body. True if libcrypto took it (opening: the tag matched).
 */
static int hop_record(struct hop *h, int64_t ctx, unsigned char *rec, int aad_length, int body) {
    memcpy(h->aad, rec + 3, 8);
    memcpy(h->aad + 8, rec, 3);
    h->aad[11] = (unsigned char) (aad_length >> 8);
    h->aad[12] = (unsigned char) aad_length;
    return tls_record((ctrl_fn) ADDR(h->ctrl_fn), (cipher_fn) ADDR(h->cipher_fn), ADDR(ctx), h->aad,
            rec + HEADER, body) == body;
}

static jlong hop_outbound(struct hop *h) {
    unsigned char *rec = h->tx + PREFIX;
    unsigned char *plain = rec + HEADER + EXPLICIT;
    long offset = PREFIX + HEADER + EXPLICIT + 1;
    ssize_t n = port_read(h, plain + 1, (size_t) h->read_cap);
    if (n < 0) {
        /* Anything but "nothing now" (a device gone, an error) is the Java path's to handle and report. */
        return errno == EAGAIN || errno == EINTR ? hop_result(HOP_NOTHING, 0, 0, 0) : hop_result(HOP_READY, 1, 0, 0);
    }
    if (n == 0) {
        return hop_result(HOP_READY, 1, 0, 0);
    }
    int unicast = (plain[1] & 1) == 0;
    if (h->port_kind == PORT_READ_WRITE_VNET && ((plain[1 - VNET_HDR] & 1) != 0 || plain[2 - VNET_HDR] != 0)) {
        /* NEEDS_CSUM or a GSO type: segmenting and checksums are the Java path's. */
        h->vnet_length = (int32_t) n + VNET_HDR;
        return hop_result(HOP_TAP_FRAME, n > 0xFFFFFF ? 0xFFFFFF : n, offset - VNET_HDR, unicast) | HOP_WITH_HEADER;
    }
    if (n + 1 > h->send_limit || n < 14 || (h->clamp && clamp_candidate(plain + 1, n)) || h->seq >= h->seq_end) {
        return hop_result(HOP_TAP_FRAME, n, offset, unicast);
    }
    int64_t seq = h->seq;
    int body = EXPLICIT + (int) n + 1 + TAG;
    plain[0] = (unsigned char) h->frame_type;
    rec[0] = 23;
    rec[1] = 0xFE;
    rec[2] = 0xFD;
    for (int i = 0; i < 8; i++) {
        rec[3 + i] = (unsigned char) (seq >> (8 * (7 - i)));
    }
    rec[11] = (unsigned char) (body >> 8);
    rec[12] = (unsigned char) body;
    memcpy(h->nonce, h->salt, 4);
    memcpy(h->nonce + 4, rec + 3, 8);
    if (((ctrl_fn) ADDR(h->ctrl_fn))(ADDR(h->seal_ctx), 0x12 /* EVP_CTRL_AEAD_SET_IV_FIXED */, -1, h->nonce) <= 0
            || !hop_record(h, h->seal_ctx, rec, EXPLICIT + (int) n + 1, body)) {
        /* Not sealed: the Java path sends it (and counts whatever goes wrong there). */
        return hop_result(HOP_TAP_FRAME, n, offset, unicast);
    }
    h->seq = seq + 1;
    unsigned char *datagram = rec;
    size_t length = HEADER + (size_t) body;
    if (h->channel != 0) {
        datagram = h->tx;
        datagram[0] = (unsigned char) (h->channel >> 8);
        datagram[1] = (unsigned char) h->channel;
        datagram[2] = (unsigned char) (length >> 8);
        datagram[3] = (unsigned char) length;
        length += PREFIX;
    }
    if (sendto(h->udp_fd, datagram, length, 0, (struct sockaddr *) h->dest, 16) < 0) {
        return hop_result(HOP_SEND_FAILED, errno, 0, unicast);
    }
    return hop_result(HOP_SENT, n, 0, unicast);
}


static int window_fresh(struct hop *h, int64_t seq) {
    if (seq > h->win_highest) {
        return 1;
    }
    int64_t behind = h->win_highest - seq;
    return behind < 64 && (h->win_seen & ((int64_t) 1 << behind)) == 0;
}

static void window_mark(struct hop *h, int64_t seq) {
    if (seq > h->win_highest) {
        int64_t shift = h->win_highest < 0 ? 64 : seq - h->win_highest;
        h->win_seen = shift >= 64 ? 1 : (int64_t) (((uint64_t) h->win_seen << shift) | 1);
        h->win_highest = seq;
    } else {
        h->win_seen |= (int64_t) 1 << (h->win_highest - seq);
    }
}

static jlong hop_inbound(struct hop *h) {
    struct mmsghdr *m = ADDR(h->rx_vec);
    m->msg_hdr.msg_namelen = 16;
    int got = recvmmsg(h->udp_fd, m, 1, MSG_DONTWAIT, NULL);
    if (got <= 0) {
        return got < 0 && (errno == EAGAIN || errno == EINTR) ? hop_result(HOP_NOTHING, 0, 0, 0)
                : hop_result(HOP_READY, 2, 0, 0);
    }
    long size = m->msg_len < (unsigned int) h->slot_size ? (long) m->msg_len : h->slot_size;
    unsigned char *data = ADDR(h->rx_data);
    /* From the route's next hop only (family, port, address); anything else is the Java path's. */
    if (memcmp(ADDR(h->rx_name), h->dest, 8) != 0) {
        return hop_result(HOP_DATAGRAM, size, 0, 0);
    }
    long at = 0;
    long length = size;
    if (h->channel != 0) {
        if (size < PREFIX || u16(data) != h->channel || PREFIX + u16(data + 2) > size
                || size - PREFIX - u16(data + 2) > 3) {
            return hop_result(HOP_DATAGRAM, size, 0, 0);
        }
        at = PREFIX;
        length = u16(data + 2);
    }
    unsigned char *rec = data + at;
    /* One application-data record of epoch 1, exactly filling the datagram. */
    if (length < HEADER + EXPLICIT + TAG + 1 || rec[0] != 23 || rec[1] != 0xFE || rec[2] != 0xFD
            || rec[3] != 0 || rec[4] != 1 || HEADER + u16(rec + 11) != length) {
        return hop_result(HOP_DATAGRAM, size, 0, 0);
    }
    int64_t seq = 0;
    for (int i = 5; i < 11; i++) {
        seq = (seq << 8) | rec[i];
    }
    if (!window_fresh(h, seq)) {
        return hop_result(HOP_REJECTED, 0, 0, 0);
    }
    int body = (int) length - HEADER;
    /* Opening, the additional data's length is the whole body's; libcrypto subtracts. */
    if (!hop_record(h, h->open_ctx, rec, body, body)) {
        return hop_result(HOP_REJECTED, 0, 0, 0);
    }
    window_mark(h, seq);
    unsigned char *plain = rec + HEADER + EXPLICIT;
    long plain_length = body - EXPLICIT - TAG;
    long frame = plain_length - 1;
    if (plain[0] != (unsigned char) h->frame_type || frame < 14 || frame > h->max_frame) {
        return hop_result(HOP_OPENED, plain_length, at + HEADER + EXPLICIT, 0);
    }
    int unicast = (plain[1] & 1) == 0;
    for (;;) {
        if (port_write(h, plain + 1, (size_t) frame) == 0) {
            if (!h->reread) {
                return hop_result(HOP_DELIVERED, frame, 0, unicast);
            }
            /*
             * The local stack behind a TAP answers within the write (a ping's echo is queued before
             * it returns): read it now and carry it in the same call, as the Java loop's reread.
             */
            jlong answer = hop_outbound(h);
            jlong delivered = hop_result(HOP_DELIVERED, frame, 0, unicast);
            long length = (answer >> 8) & 0xFFFFFF;
            jlong second = ((jlong) (length > 0xFFFF ? 0xFFFF : length) << 32) | ((answer >> 48) & 1) << 49
                    | (answer & HOP_WITH_HEADER);
            switch (answer & 0xFF) {
                case HOP_NOTHING:
                    return delivered | HOP_PORT_EMPTY;
                case HOP_SENT:
                    return (delivered & ~(jlong) 0xFF) | HOP_DELIVERED_SENT | second;
                case HOP_TAP_FRAME:
                    return (delivered & ~(jlong) 0xFF) | HOP_DELIVERED_TAP_FRAME | second;
                case HOP_SEND_FAILED:
                    return (delivered & ~(jlong) 0xFF) | HOP_DELIVERED_SEND_FAILED | ((answer >> 48) & 1) << 49;
                default:
                    /* An error reading the port: the Java path's next read meets and reports it. */
                    return delivered;
            }
        }
        if (errno == EAGAIN) {
            return hop_result(HOP_TAP_FULL, frame, 0, unicast);
        }
        if (errno != EINTR) {
            return hop_result(HOP_WRITE_FAILED, errno, 0, unicast);
        }
    }
}

/*
 * After a frame was carried (written to the port, sent, or both): the CPU goes first to whatever
 * that woke on it. Why: the task a write or send wakes (the ping that waits for its echo, the far
 * end's tunnel thread, OVS) is woken synchronously, so it is placed on this thread's CPU, where
 * it waits until this thread blocks, and this thread would first return to Java and do the turn's
 * bookkeeping. perf sched of a tunnel-alone ping run (2026-12-07): all of a ping's hand-offs ran
 * on one CPU, and the ping waited a median 20 us behind the requesting loop after its echo was
 * written (OpenVPN's 8). With nothing else runnable a yield is one cheap system call.
 */
static jlong carried(jlong r) {
    int code = (int) (r & 0xFF);
    if (code == HOP_SENT || code == HOP_DELIVERED || code == HOP_DELIVERED_SENT) {
        sched_yield();
    }
    return r;
}

/*
 * One hop: with tap_first, the TAP is read before any wait (the answer to a frame just written is
 * often queued within the write; a lone frame's answer, so it is carried whatever tap_busy_until says). Then waits up to timeout_nanos (negative: no limit) for either
 * descriptor and carries what came, if it is a plain case.
 */
static int64_t monotonic_ns(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t) now.tv_sec * 1000000000L + now.tv_nsec;
}

static jlong hop_once(struct hop *h, jlong timeout_nanos, int tap_first) {
    if (tap_first) {
        jlong r = hop_outbound(h);
        if ((r & 0xFF) != HOP_NOTHING) {
            return r;
        }
    }
    h->fds[0].fd = h->tap_fd;
    h->fds[0].events = POLLIN;
    h->fds[0].revents = 0;
    h->fds[1].fd = h->udp_fd;
    h->fds[1].events = POLLIN;
    h->fds[1].revents = 0;
    struct timespec ts;
    if (timeout_nanos >= 0) {
        ts.tv_sec = timeout_nanos / 1000000000L;
        ts.tv_nsec = timeout_nanos % 1000000000L;
    }
    int n = ppoll(h->fds, 2, timeout_nanos >= 0 ? &ts : NULL, NULL);
    if (n <= 0) {
        return n == 0 || errno == EINTR ? hop_result(HOP_NOTHING, 0, 0, 0) : -(jlong) errno;
    }
    short tap = h->fds[0].revents;
    short sock = h->fds[1].revents;
    if ((tap & ~POLLIN) || (sock & ~POLLIN) || (tap && sock)) {
        return hop_result(HOP_READY, (tap ? 1 : 0) | (sock ? 2 : 0), 0, 0);
    }
    /* Close behind the last packet that way, this one is likely part of a burst: the batched Java path's. */
    if (monotonic_ns() < (tap ? h->tap_busy_until : h->sock_busy_until)) {
        return hop_result(HOP_READY, tap ? 1 : 2, 0, 0);
    }
    return tap ? hop_outbound(h) : hop_inbound(h);
}

static int is_carried(jlong r) {
    int code = (int) (r & 0xFF);
    return r >= 0 && (code == HOP_SENT || code == HOP_DELIVERED || code == HOP_DELIVERED_SENT);
}

/* Whether the carried r answers a frame carried the other way just before (or is both ways at once). */
static int is_answer(struct hop *h, jlong r, int64_t now) {
    switch ((int) (r & 0xFF)) {
        case HOP_SENT:
            return now - h->last_delivered_ns < h->answer_ns;
        case HOP_DELIVERED:
            return now - h->last_sent_ns < h->answer_ns;
        default:
            return 1;
    }
}

/* Counts the carried r in the tally (for the Java side) and in the times the next frames are judged by. */
static void tally(struct hop *h, jlong r, int64_t now) {
    int code = (int) (r & 0xFF);
    if (code == HOP_SENT) {
        h->tally_sent++;
        h->tally_sent_bytes += (r >> 8) & 0xFFFFFF;
        h->tally_sent_unicast += (int) ((r >> 48) & 1);
    } else {
        h->tally_delivered++;
        h->tally_delivered_bytes += (r >> 8) & 0xFFFFFF;
        h->tally_delivered_unicast += (int) ((r >> 48) & 1);
        h->last_delivered_ns = now;
        h->sock_busy_until = now + h->idle_ns;
        if (code == HOP_DELIVERED_SENT) {
            h->tally_sent++;
            h->tally_sent_bytes += (r >> 32) & 0xFFFF;
            h->tally_sent_unicast += (int) ((r >> 49) & 1);
        }
    }
    if (code != HOP_DELIVERED) {
        h->last_sent_ns = now;
        h->tap_busy_until = now + h->idle_ns;
    }
}

/* Frames one call carries at most before the Java side counts them. */
#define LINGER_CARRIES 64

/*
 * After a frame was carried, the call goes on instead of returning to Java, which only counts
 * what it carried (the tally) once nothing more came:
 * - a request (a frame with no frame the other way just before it): the CPU goes first to what
 *   it woke (as carried()), and if its answer came meanwhile it is carried at once;
 * - an answer (the round trip through this end is done): the call waits on, up to linger_ns,
 *   blocked. Why: perf sched of a tunnel-alone ping (2026-12-07, req11 m2) found the far end's
 *   loop, which had yielded after sending the echo, still queued on the CPU with its Java turn
 *   ahead of it when our loop wrote the echo to the TAP, so the kernel woke the ping on the
 *   other, idle vCPU (46 us against 7 on ours). Blocked instead, the far end is off the CPU;
 *   our loop goes on to the echo with no Java turn in between, then blocks, and the ping runs.
 * The wait's end (or the limit) returns HOP_CARRIED; anything else that ends it is returned as it
 * is, for the Java side to handle after counting the tally.
 */
static jlong linger(struct hop *h, jlong r) {
    for (int n = 1; is_carried(r); n++) {
        int64_t now = monotonic_ns();
        int answer = is_answer(h, r, now);
        tally(h, r, now);
        if ((r & 0xFF) == HOP_DELIVERED && h->reread && !(r & HOP_PORT_EMPTY)) {
            /* The port could not be read after the write: the Java path reads it and meets why. */
            return hop_result(HOP_READY, 1, 0, 0);
        }
        if (n >= LINGER_CARRIES) {
            return hop_result(HOP_CARRIED, 0, 0, 0);
        }
        if (!answer) {
            sched_yield();
        }
        r = hop_once(h, answer ? h->linger_ns : h->request_ns, 0);
        if (r >= 0 && (r & 0xFF) == HOP_NOTHING) {
            return hop_result(HOP_CARRIED, 0, 0, 0);
        }
    }
    return r;
}

JNIEXPORT jlong JNICALL Java_org_symphonet_tunnel_io_NativeIo_hop(JNIEnv *env, jclass cls, jlong address,
        jlong timeout_nanos, jboolean tap_first) {
    struct hop *h = ADDR(address);
    h->tally_sent = 0;
    h->tally_sent_unicast = 0;
    h->tally_sent_bytes = 0;
    h->tally_delivered = 0;
    h->tally_delivered_unicast = 0;
    h->tally_delivered_bytes = 0;
    jlong r = hop_once(h, timeout_nanos, tap_first);
    return h->linger_ns > 0 ? linger(h, r) : carried(r);
}
