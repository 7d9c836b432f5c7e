package io.hypomag.cds.http;

import io.hypomag.cds.http.auth.ReplayStore;
import io.hypomag.cds.ledger.CardLedger;
import io.hypomag.cds.ops.Health;
import io.hypomag.cds.ops.ServiceMetrics;

import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * What the server needs besides the CDS services: the card ledger, metrics, the health components, the clock
 * that stamps records and, with DB_URL, the jti replay store the fleet shares (empty: the server keeps the jti values
 * in memory, AUTH_REPLAY_CACHE_SIZE of them). Whoever builds it (Main, a test) owns the ledger and closes it.
 */
public record Operations(CardLedger ledger, ServiceMetrics metrics, Health health, Clock clock,
                         Optional<ReplayStore> replays) {
    public Operations {
        Objects.requireNonNull(ledger, "ledger");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(replays, "replays");
    }

    /** A ledger with fresh metrics and the standard health components; jti values in memory. */
    public static Operations of(CardLedger ledger, Clock clock) {
        ServiceMetrics metrics = new ServiceMetrics();
        metrics.bindLedger(ledger);
        return new Operations(ledger, metrics, new Health(ledger), clock, Optional.empty());
    }

    /** No ledger: cards are not recorded and feedback is refused. */
    public static Operations withoutLedger() {
        return of(CardLedger.off(), Clock.systemUTC());
    }

    /** The same, with the jti values kept in this store (the database a fleet shares). */
    public Operations withReplays(ReplayStore store) {
        return new Operations(ledger, metrics, health, clock, Optional.of(store));
    }
}
