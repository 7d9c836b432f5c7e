package io.hypomag.cds.http;

import java.time.Duration;
import java.util.Map;

/**
 * How the service stops on SIGTERM (see {@link GracefulStop}).
 *
 * @param grace   SHUTDOWN_GRACE_SECONDS: how long /health/ready answers 503 while calls are still served, so a load
 *                balancer's health check takes the instance out before it stops listening
 * @param timeout SHUTDOWN_TIMEOUT_SECONDS: then, the most time for the calls in flight to finish and for the ledger
 *                buffer to be written; the process exits within grace + timeout + about a second
 */
public record ShutdownSettings(Duration grace, Duration timeout) {
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(5);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

    public ShutdownSettings {
        if (grace.isNegative() || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("grace must be 0 or more and timeout more than 0");
        }
    }

    public static ShutdownSettings defaults() {
        return new ShutdownSettings(DEFAULT_GRACE, DEFAULT_TIMEOUT);
    }

    static ShutdownSettings fromEnvironment(Map<String, String> env) {
        return new ShutdownSettings(
                Duration.ofSeconds(WholeNumbers.whole(env, "SHUTDOWN_GRACE_SECONDS", DEFAULT_GRACE.toSeconds(), 0, 120)),
                Duration.ofSeconds(WholeNumbers.whole(env, "SHUTDOWN_TIMEOUT_SECONDS", DEFAULT_TIMEOUT.toSeconds(), 1, 300)));
    }
}
