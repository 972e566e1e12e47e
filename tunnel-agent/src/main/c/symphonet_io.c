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
#include <signal.h>
#include <stdint.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define ADDR(a) ((void *) (intptr_t) (a))

static jlong result(ssize_t n) {
    return n < 0 ? -(jlong) errno : (jlong) n;
}

JNIEXPORT jint JNICALL Java_org_symphonet_tunnel_io_NativeIo_version(JNIEnv *env, jclass cls) {
    return 1;
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

JNIEXPORT jint JNICALL Java_org_symphonet_tunnel_io_NativeIo_tlsRecord(JNIEnv *env, jclass cls, jlong ctrl,
        jlong cipher, jlong ctx, jlong aad, jlong buf, jint len) {
    if (((ctrl_fn) ADDR(ctrl))(ADDR(ctx), 0x16 /* EVP_CTRL_AEAD_TLS1_AAD */, 13, ADDR(aad)) <= 0) {
        return -1;
    }
    return ((cipher_fn) ADDR(cipher))(ADDR(ctx), ADDR(buf), ADDR(buf), (unsigned int) len);
}
