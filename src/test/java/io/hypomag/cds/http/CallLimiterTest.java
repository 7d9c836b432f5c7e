package io.hypomag.cds.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hypomag.cds.hooks.CdsRequestException;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class CallLimiterTest {
    private final CallLimiter limiter = new CallLimiter(1);

    @Test
    void aCallHoldsItsPermitUntilItsFutureCompletes() {
        CompletableFuture<String> running = new CompletableFuture<>();
        CompletableFuture<String> call = limiter.run(() -> running);
        CdsRequestException refused = assertThrows(CdsRequestException.class,
                () -> limiter.run(() -> CompletableFuture.completedFuture("second")));
        assertEquals(503, refused.status());
        running.complete("first");
        assertEquals("first", call.join());
        assertEquals("second", limiter.run(() -> CompletableFuture.completedFuture("second")).join());
    }

    @Test
    void aFailedCallGivesItsPermitBack() {
        CompletableFuture<String> running = new CompletableFuture<>();
        limiter.run(() -> running);
        running.completeExceptionally(new IllegalStateException("failed"));
        assertEquals("next", limiter.run(() -> CompletableFuture.completedFuture("next")).join());
    }

    @Test
    void aCallThatThrowsBeforeItStartsGivesItsPermitBack() {
        assertThrows(CdsRequestException.class, () -> limiter.run(() -> {
            throw new CdsRequestException(404, "no such service", "/cds-services/{id}");
        }));
        assertEquals("next", limiter.run(() -> CompletableFuture.completedFuture("next")).join());
    }
}
