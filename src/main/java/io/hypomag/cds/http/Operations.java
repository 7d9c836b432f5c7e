package io.hypomag.cds.http;

import io.hypomag.cds.ledger.CardLedger;
import io.hypomag.cds.ops.Health;
import io.hypomag.cds.ops.ServiceMetrics;

import java.time.Clock;
import java.util.Objects;

/**
 * What the server needs besides the CDS services: the card ledger, metrics, the health components and the clock
 * that stamps records. Whoever builds it (Main, a test) owns the ledger and closes it.
 */
public record Operations(CardLedger ledger, ServiceMetrics metrics, Health health, Clock clock) {
    public Operations {
        Objects.requireNonNull(ledger, "ledger");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(clock, "clock");
    }

    /** A ledger with fresh metrics and the standard health components. */
    public static Operations of(CardLedger ledger, Clock clock) {
        ServiceMetrics metrics = new ServiceMetrics();
        metrics.bindLedger(ledger);
        return new Operations(ledger, metrics, new Health(ledger), clock);
    }

    /** No ledger: cards are not recorded and feedback is refused. */
    public static Operations withoutLedger() {
        return of(CardLedger.off(), Clock.systemUTC());
    }
}
