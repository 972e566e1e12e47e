package org.symphonet.tunnel.ice;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.symphonet.tunnel.IceParameters;

/** One tunnel's ICE session between gathering and a selected pair. */
final class IceLocalPath implements LocalPath {
    private final IceSession session;
    private final IceParameters local;

    IceLocalPath(IceSession session, IceParameters local) {
        this.session = session;
        this.local = local;
    }

    @Override
    public IceParameters localParameters() {
        return local;
    }

    @Override
    public EstablishedPath establish(IceParameters remote, boolean controlling, Duration timeout, AtomicLong foreign)
            throws IOException {
        EstablishedPath path = session.establish(remote, controlling, timeout, foreign);
        return path;
    }

    @Override
    public void close() {
        session.close();
    }
}
