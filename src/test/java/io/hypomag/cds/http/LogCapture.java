package io.hypomag.cds.http;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.joran.spi.JoranException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Production's logback.xml, loaded again with the LOG_FORMAT and LOG_LEVEL given (as the environment would give
 * them), and standard error captured, where its console appender writes. Closing gives standard error back and
 * loads the test configuration again. One at a time: a JVM has one logging configuration.
 */
final class LogCapture implements AutoCloseable {
    private final PrintStream original = System.err;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    private LogCapture(String format, String level) {
        configure(format, level);
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    }

    static LogCapture start(String format, String level) {
        return new LogCapture(format, level);
    }

    String text() {
        return captured.toString(StandardCharsets.UTF_8);
    }

    List<String> lines() {
        return text().lines().toList();
    }

    @Override
    public void close() {
        System.setErr(original);
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        try {
            new ContextInitializer(context).autoConfig();
        } catch (JoranException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void configure(String format, String level) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        // Context properties come before system properties and the environment in Logback's lookup.
        context.putProperty("LOG_FORMAT", format);
        context.putProperty("LOG_LEVEL", level);
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        try {
            configurator.doConfigure(LogCapture.class.getResource("/logback.xml"));
        } catch (JoranException e) {
            throw new IllegalStateException(e);
        }
    }
}
