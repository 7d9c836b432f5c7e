package io.hypomag.cds.http;

import io.hypomag.cds.http.auth.JwksKeys;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Refreshes of the trusted issuers' key sets, read from {@link JwksKeys} when scraped: reads by source and outcome,
 * and whether the last read failed (alert on it: a key rotated in at the EHR is refused until a read succeeds). The
 * source tag is the configured file or URL: a set the operator wrote, never a value from a request.
 */
final class IssuerKeysMetrics implements MeterBinder {
    private final JwksKeys keys;

    IssuerKeysMetrics(JwksKeys keys) {
        this.keys = keys;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        keys.status().forEach(initial -> {
            String source = initial.source();
            FunctionCounter.builder("cds_jwks_reads", keys, k -> find(k, source).successes())
                    .description("Reads of a trusted issuer's key set").tags("source", source, "outcome", "success")
                    .register(registry);
            FunctionCounter.builder("cds_jwks_reads", keys, k -> find(k, source).failures())
                    .description("Reads of a trusted issuer's key set").tags("source", source, "outcome", "failure")
                    .register(registry);
            Gauge.builder("cds_jwks_failing", keys, k -> find(k, source).failing() ? 1 : 0)
                    .description("1 while the last read of this key set failed (the last good set is in use)")
                    .tags("source", source).register(registry);
        });
    }

    private static io.hypomag.cds.http.auth.KeySetStatus find(JwksKeys keys, String source) {
        return keys.status().stream().filter(s -> s.source().equals(source)).findFirst().orElseThrow();
    }
}
