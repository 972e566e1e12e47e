package org.symphonet.tunnel.ice;

import org.symphonet.tunnel.LinkType;
import org.symphonet.tunnel.dtls.PacketPath;

/** The outcome of connectivity establishment: a working path and what kind it is. */
public record EstablishedPath(PacketPath path, LinkType type) {
}
