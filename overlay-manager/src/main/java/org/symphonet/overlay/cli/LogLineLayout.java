package org.symphonet.overlay.cli;

import java.util.TimeZone;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;

/**
 * One log line as {@code HH:mm:ss.SSS LEVEL [thread] Logger - message} (local time, the level
 * padded to five characters, the logger's simple name), then the stack trace of an attached
 * exception: what the pattern {@link LogConfigurator#PATTERN} gives, written by hand. Logback's
 * PatternLayout parses and compiles its pattern at start (about 80 classes of parser and
 * converters, and the JDK's date-time formatting behind %d) in every node process, for one fixed
 * format.
 */
final class LogLineLayout extends LayoutBase<ILoggingEvent> {

    private final TimeZone zone;

    LogLineLayout() {
        this(TimeZone.getDefault());
    }

    LogLineLayout(TimeZone zone) {
        this.zone = zone;
    }

    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder b = new StringBuilder(128);
        long ms = event.getTimeStamp();
        long local = ms + zone.getOffset(ms);
        long day = Math.floorMod(local, 86_400_000L);
        two(b, (int) (day / 3_600_000)).append(':');
        two(b, (int) (day / 60_000 % 60)).append(':');
        two(b, (int) (day / 1000 % 60)).append('.');
        int milli = (int) (day % 1000);
        b.append((char) ('0' + milli / 100)).append((char) ('0' + milli / 10 % 10)).append((char) ('0' + milli % 10));
        String level = event.getLevel().toString();
        b.append(' ').append(level);
        for (int i = level.length(); i < 5; i++) {
            b.append(' ');
        }
        String logger = event.getLoggerName();
        b.append(" [").append(event.getThreadName()).append("] ")
                .append(logger, logger.lastIndexOf('.') + 1, logger.length())
                .append(" - ").append(event.getFormattedMessage()).append(CoreConstants.LINE_SEPARATOR);
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            b.append(ThrowableProxyUtil.asString(thrown)); // ends with a line separator
        }
        return b.toString();
    }

    private static StringBuilder two(StringBuilder b, int v) {
        return b.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
    }
}
