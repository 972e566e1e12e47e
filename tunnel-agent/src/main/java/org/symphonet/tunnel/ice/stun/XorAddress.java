package org.symphonet.tunnel.ice.stun;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** XOR-MAPPED-ADDRESS and friends (RFC 8489 §14.2): the address XORed with the magic cookie (and ID). */
final class XorAddress {
    static final int MAGIC = 0x2112A442;

    private XorAddress() {
    }

    static byte[] encode(InetSocketAddress address, byte[] transactionId) {
        byte[] ip = address.getAddress().getAddress();
        byte[] v = new byte[4 + ip.length];
        v[1] = (byte) (ip.length == 4 ? 1 : 2);
        int port = address.getPort() ^ (MAGIC >>> 16);
        v[2] = (byte) (port >>> 8);
        v[3] = (byte) port;
        for (int i = 0; i < ip.length; i++) {
            v[4 + i] = (byte) (ip[i] ^ mask(i, transactionId));
        }
        return v;
    }

    /** Null for anything malformed: a wrong family or length never throws. */
    static InetSocketAddress decode(byte[] v, byte[] transactionId) {
        if (v.length < 8) {
            return null;
        }
        int len = v[1] == 1 ? 4 : v[1] == 2 ? 16 : -1;
        if (len < 0 || v.length != 4 + len) {
            return null;
        }
        int port = (((v[2] & 0xFF) << 8) | (v[3] & 0xFF)) ^ (MAGIC >>> 16);
        byte[] ip = new byte[len];
        for (int i = 0; i < len; i++) {
            ip[i] = (byte) (v[4 + i] ^ mask(i, transactionId));
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), port);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static int mask(int i, byte[] transactionId) {
        return i < 4 ? (MAGIC >>> (24 - 8 * i)) & 0xFF : transactionId[i - 4];
    }
}
