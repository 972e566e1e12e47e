/**
 * Who this node is (DESIGN.md §2): the 128-bit node ID and the self-signed ECDSA P-256
 * certificate, created once in the state directory by
 * {@link org.symphonet.overlay.identity.IdentityStore} and reused on every start.
 */
package org.symphonet.overlay.identity;
