package io.hypomag.cds.review;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Launches between the redirect to the authorization server and its answer, keyed by the OAuth state. Server-side,
 * single-use and short-lived: the state in the callback must be one this service handed out minutes ago (CSRF), and
 * the PKCE verifier never leaves the server. Bounded, since anyone can start a launch.
 */
final class PendingLaunches {
    static final Duration LIFETIME = Duration.ofMinutes(5);
    static final int MAX_PENDING = 10_000;

    /** What the callback needs to finish one launch. */
    record Pending(URI iss, URI tokenEndpoint, Pkce pkce, Instant expires) {
    }

    private final Map<String, Pending> byState = new ConcurrentHashMap<>();
    private final SecureRandom random;
    private final Clock clock;

    PendingLaunches(SecureRandom random, Clock clock) {
        this.random = random;
        this.clock = clock;
    }

    /** @return the state to send; empty when too many launches are pending */
    Optional<String> add(URI iss, URI tokenEndpoint, Pkce pkce) {
        Instant now = clock.instant();
        byState.values().removeIf(p -> !now.isBefore(p.expires()));
        if (byState.size() >= MAX_PENDING) {
            return Optional.empty();
        }
        String state = RandomText.of(random, 32);
        byState.put(state, new Pending(iss, tokenEndpoint, pkce, now.plus(LIFETIME)));
        return Optional.of(state);
    }

    /** Removes the launch whatever its age: a state is good for one callback only. */
    Optional<Pending> take(String state) {
        if (state == null) {
            return Optional.empty();
        }
        Pending pending = byState.remove(state);
        return pending != null && clock.instant().isBefore(pending.expires()) ? Optional.of(pending) : Optional.empty();
    }
}
