package org.symphonet.overlay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.TimeZone;

import org.junit.jupiter.api.Test;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.LoggingEvent;

class LogLineLayoutTest {

    private final LoggerContext context = new LoggerContext();

    private String byPattern(LoggingEvent e) {
        PatternLayout p = new PatternLayout();
        p.setContext(context);
        p.setPattern(LogConfigurator.PATTERN);
        p.start();
        return p.doLayout(e);
    }

    private String byHand(LoggingEvent e) {
        LogLineLayout l = new LogLineLayout(TimeZone.getDefault());
        l.setContext(context);
        l.start();
        return l.doLayout(e);
    }

    private LoggingEvent event(Level level, String message, Throwable thrown, long at, Object... args) {
        Logger logger = context.getLogger("org.symphonet.overlay.node.StartTimeline");
        LoggingEvent e = new LoggingEvent(Logger.class.getName(), logger, level, message, thrown, args);
        e.setThreadName("node-control");
        e.setTimeStamp(at);
        return e;
    }

    @Test
    void linesAreThoseOfThePattern() {
        for (long at : new long[] {0, 1_765_088_845_035L, 1_765_151_999_999L, 86_399_999L}) {
            for (Level level : new Level[] {Level.INFO, Level.WARN, Level.ERROR, Level.DEBUG, Level.TRACE}) {
                LoggingEvent e = event(level, "start-up phase {} at {} s", null, at, "links-up", 4.0);
                assertEquals(byPattern(e), byHand(e));
            }
        }
    }

    @Test
    void anExceptionFollowsItsLineAsThePatternWritesIt() {
        LoggingEvent e = event(Level.ERROR, "node control tick failed", new IllegalStateException("boom",
                new java.io.IOException("cause")), 1_765_088_845_035L);
        assertEquals(byPattern(e), byHand(e));
    }

    @Test
    void aLoggerWithoutPackageKeepsItsName() {
        Logger logger = context.getLogger("plain");
        LoggingEvent e = new LoggingEvent(Logger.class.getName(), logger, Level.INFO, "m", null, null);
        e.setThreadName("main");
        e.setTimeStamp(1_765_088_845_035L);
        assertEquals(byPattern(e), byHand(e));
    }
}
