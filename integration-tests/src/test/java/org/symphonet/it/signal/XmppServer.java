package org.symphonet.it.signal;

/** A private XMPP server for one test class, on 127.0.0.1, started and stopped by the test. */
interface XmppServer extends AutoCloseable {

    String domain();

    int port();

    /** Starts the server and waits until its client port accepts connections. */
    void start() throws Exception;

    /** Stops the server process by PID; accounts and rosters survive for the next {@link #start}. */
    void stop() throws Exception;

    /** Stops the server and deletes its files; best effort, never throws. */
    @Override
    void close();
}
