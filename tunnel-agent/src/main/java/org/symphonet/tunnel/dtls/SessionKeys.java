package org.symphonet.tunnel.dtls;

import java.util.Arrays;

/**
 * The AES-GCM keys and implicit nonces (RFC 5288's 4-byte salt) of one DTLS 1.2 session, each
 * direction from this end's view: what {@link DataRecords} seals and opens application data with
 * once the handshake is over. Derived from the same key block Bouncy Castle's own record cipher
 * takes them from, so both layers speak the same session.
 */
record SessionKeys(byte[] writeKey, byte[] writeSalt, byte[] readKey, byte[] readSalt) {
    static final int SALT = 4;

    /**
     * Splits a TLS 1.2 key block (RFC 5246 6.3: client key, server key, client IV, server IV; no
     * MAC keys for an AEAD suite).
     */
    static SessionKeys fromKeyBlock(byte[] block, int keySize, boolean server) {
        if (block.length != 2 * keySize + 2 * SALT) {
            throw new IllegalArgumentException("key block of " + block.length + " bytes for " + keySize + "-byte keys");
        }
        byte[] clientKey = Arrays.copyOfRange(block, 0, keySize);
        byte[] serverKey = Arrays.copyOfRange(block, keySize, 2 * keySize);
        byte[] clientSalt = Arrays.copyOfRange(block, 2 * keySize, 2 * keySize + SALT);
        byte[] serverSalt = Arrays.copyOfRange(block, 2 * keySize + SALT, 2 * keySize + 2 * SALT);
        return server ? new SessionKeys(serverKey, serverSalt, clientKey, clientSalt)
                : new SessionKeys(clientKey, clientSalt, serverKey, serverSalt);
    }

    /** Overwrites the key material (the ciphers keep their own key schedules). */
    void wipe() {
        Arrays.fill(writeKey, (byte) 0);
        Arrays.fill(readKey, (byte) 0);
    }

    @Override
    public String toString() {
        return "SessionKeys[" + writeKey.length * 8 + "-bit]";
    }
}
