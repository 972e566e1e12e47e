package org.symphonet.overlay.identity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.Signature;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdentityStoreTest {

    @TempDir
    Path tmp;

    @Test
    void createsOnceAndReusesAfterwards() throws Exception {
        Path dir = tmp.resolve("state");
        NodeIdentity first = new IdentityStore(dir).loadOrCreate();
        NodeIdentity second = new IdentityStore(dir).loadOrCreate();
        assertEquals(first.nodeId(), second.nodeId());
        assertEquals(first.fingerprint(), second.fingerprint());
        assertArrayEquals(first.certificate().getEncoded(), second.certificate().getEncoded());
        assertArrayEquals(first.privateKey().getEncoded(), second.privateKey().getEncoded());
        assertTrue(first.nodeId().toString().matches("[0-9a-f]{32}"));
        assertEquals(first.nodeId() + "\n", Files.readString(dir.resolve(IdentityStore.NODE_ID_FILE)));
    }

    @Test
    void filesAreOwnerOnly() throws Exception {
        Path dir = tmp.resolve("state");
        new IdentityStore(dir).loadOrCreate();
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        for (String f : new String[] {IdentityStore.NODE_ID_FILE, IdentityStore.CERT_FILE, IdentityStore.KEY_FILE}) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(f))), f);
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(3, files.count(), "no temporary files left behind");
        }
    }

    @Test
    void looseModesAreTightened() throws Exception {
        Path dir = tmp.resolve("state");
        new IdentityStore(dir).loadOrCreate();
        Path key = dir.resolve(IdentityStore.KEY_FILE);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        new IdentityStore(dir).loadOrCreate();
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
    }

    @Test
    void certificateIsSelfSignedP256AndKeyMatches() throws Exception {
        NodeIdentity id = new IdentityStore(tmp).loadOrCreate();
        id.certificate().verify(id.certificate().getPublicKey());
        id.certificate().checkValidity();
        assertEquals("SHA256withECDSA", id.certificate().getSigAlgName());
        assertTrue(id.certificate().getSubjectX500Principal().getName().contains(id.nodeId().toString()));
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(id.privateKey());
        s.update(new byte[] {1, 2, 3});
        byte[] sig = s.sign();
        s.initVerify(id.certificate());
        s.update(new byte[] {1, 2, 3});
        assertTrue(s.verify(sig));
        assertEquals(Fingerprint.of(id.certificate()), id.fingerprint());
    }

    @Test
    void keepsNodeIdWhenCertificateIsLost() throws Exception {
        NodeIdentity first = new IdentityStore(tmp).loadOrCreate();
        Files.delete(tmp.resolve(IdentityStore.CERT_FILE));
        NodeIdentity second = new IdentityStore(tmp).loadOrCreate();
        assertEquals(first.nodeId(), second.nodeId());
        assertNotEquals(first.fingerprint(), second.fingerprint());
    }

    @Test
    void usesAnOperatorProvidedNodeId() throws Exception {
        Files.writeString(tmp.resolve(IdentityStore.NODE_ID_FILE), "00112233445566778899aabbccddeeff\n");
        assertEquals("00112233445566778899aabbccddeeff", new IdentityStore(tmp).loadOrCreate().nodeId().toString());
    }

    @Test
    void corruptFilesAreErrorsNotSilentlyReplaced() throws Exception {
        Files.writeString(tmp.resolve(IdentityStore.NODE_ID_FILE), "00112233445566778899AABBCCDDEEFF\n");
        IdentityException e = assertThrows(IdentityException.class, () -> new IdentityStore(tmp).loadOrCreate());
        assertTrue(e.getMessage().contains(IdentityStore.NODE_ID_FILE), e.getMessage());

        Path other = tmp.resolve("other");
        new IdentityStore(other).loadOrCreate();
        Files.writeString(other.resolve(IdentityStore.CERT_FILE), "garbage");
        e = assertThrows(IdentityException.class, () -> new IdentityStore(other).loadOrCreate());
        assertTrue(e.getMessage().contains(IdentityStore.CERT_FILE), e.getMessage());
    }

    @Test
    void mismatchedKeyIsDetected() throws Exception {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        new IdentityStore(a).loadOrCreate();
        new IdentityStore(b).loadOrCreate();
        Files.copy(b.resolve(IdentityStore.KEY_FILE), a.resolve(IdentityStore.KEY_FILE),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        IdentityException e = assertThrows(IdentityException.class, () -> new IdentityStore(a).loadOrCreate());
        assertTrue(e.getMessage().contains("does not belong"), e.getMessage());
    }

    @Test
    void toStringHasNoKeyMaterial() throws Exception {
        NodeIdentity id = new IdentityStore(tmp).loadOrCreate();
        assertFalse(id.toString().contains("PRIVATE"));
        assertTrue(id.toString().contains(id.nodeId().toString()));
    }
}
