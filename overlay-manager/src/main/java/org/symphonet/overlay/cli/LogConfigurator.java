package org.symphonet.overlay.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * The logging set-up of every command in the jar, in code rather than a logback.xml: reading XML
 * loaded about 420 classes (logback's Joran and the JDK's XML parser), 6% of what a node loads,
 * and their CPU at start and memory for the node's whole life. Found by logback's ServiceLoader
 * before its XML configurators.
 *
 * <p>Lines go to stderr as {@code HH:mm:ss.SSS LEVEL [thread] Logger - message}; the root level is
 * {@code SYMPHONET_LOG_LEVEL} (system property or environment, default INFO); Netty and Smack log
 * warnings only, as the plain jar's logback.xml (kept for tests and in-process nodes; only the
 * runnable jar lists this class as a service). An explicit {@code -Dlogback.configurationFile}
 * still wins: this configurator then steps aside.
 */
public final class LogConfigurator extends ContextAwareBase implements Configurator {
    static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{0} - %msg%n";
    static final String LEVEL_VARIABLE = "SYMPHONET_LOG_LEVEL";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        // java.util.logging (Smack) goes through SLF4J; this keeps its level checks cheap.
        LevelChangePropagator julLevels = new LevelChangePropagator();
        julLevels.setContext(context);
        julLevels.setResetJUL(true);
        context.addListener(julLevels);
        julLevels.start();

        // The plain jar's logback.xml pattern, written by hand (LogLineLayout).
        LogLineLayout layout = new LogLineLayout();
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();

        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(rootLevel());
        root.addAppender(stderr);
        context.getLogger("io.netty").setLevel(Level.WARN);
        context.getLogger("org.jivesoftware").setLevel(Level.WARN);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    static Level rootLevel() {
        String name = System.getProperty(LEVEL_VARIABLE);
        if (name == null) {
            name = System.getenv(LEVEL_VARIABLE);
        }
        return Level.toLevel(name, Level.INFO);
    }
}
