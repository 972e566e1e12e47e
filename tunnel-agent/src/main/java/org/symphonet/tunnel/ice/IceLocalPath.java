package org.symphonet.tunnel.ice;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.ice.Agent;
import org.ice4j.ice.CandidatePair;
import org.ice4j.ice.Component;
import org.ice4j.ice.IceMediaStream;
import org.ice4j.ice.IceProcessingState;
import org.ice4j.ice.RemoteCandidate;
import org.symphonet.tunnel.IceParameters;
import org.symphonet.tunnel.LinkType;

/** One tunnel's ICE agent between gathering and a selected pair. */
final class IceLocalPath implements LocalPath {
    private final Agent agent;
    private final IceMediaStream stream;
    private final Component component;
    private final IceParameters local;
    private final int pathMtu;

    IceLocalPath(Agent agent, IceMediaStream stream, Component component, IceParameters local, int pathMtu) {
        this.agent = agent;
        this.stream = stream;
        this.component = component;
        this.local = local;
        this.pathMtu = pathMtu;
    }

    @Override
    public IceParameters localParameters() {
        return local;
    }

    @Override
    public EstablishedPath establish(IceParameters remote, boolean controlling, Duration timeout, AtomicLong foreign)
            throws IOException {
        stream.setRemoteUfrag(remote.ufrag());
        stream.setRemotePassword(remote.password());
        int added = 0;
        for (IceParameters.Candidate c : remote.candidates()) {
            if (c.component() != component.getComponentID()) {
                continue;
            }
            // Literal addresses only: a signaled name must not make us resolve DNS.
            InetAddress address = Literals.parse(c.address());
            if (address == null) {
                continue;
            }
            component.addRemoteCandidate(new RemoteCandidate(new TransportAddress(address, c.port(), Transport.UDP),
                    component, IceTypes.toIce4j(c.type()), c.foundation(), c.priority(), null));
            added++;
        }
        if (added == 0) {
            throw new IOException("peer offered no usable candidate");
        }
        CountDownLatch done = new CountDownLatch(1);
        agent.addStateChangeListener(evt -> {
            Object state = evt.getNewValue();
            if (state == IceProcessingState.COMPLETED || state == IceProcessingState.FAILED
                    || state == IceProcessingState.TERMINATED) {
                done.countDown();
            }
        });
        agent.startConnectivityEstablishment();
        try {
            if (!done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException("ICE checks did not finish within " + timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted during ICE checks", e);
        }
        CandidatePair pair = component.getSelectedPair();
        if (pair == null || agent.getState() == IceProcessingState.FAILED) {
            throw new IOException("ICE failed: no candidate pair works (state " + agent.getState() + ")");
        }
        LinkType type = IceTypes.linkType(pair.getLocalCandidate().getType(), pair.getRemoteCandidate().getType());
        return new EstablishedPath(new IcePath(agent, component, pair, pathMtu, type), type);
    }

    @Override
    public void close() {
        agent.free();
    }
}
