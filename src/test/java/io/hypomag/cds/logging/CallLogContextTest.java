package io.hypomag.cds.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** A call's MDC goes with its work to another thread, and that thread's own MDC comes back after, even on a failure. */
class CallLogContextTest {
    private final ExecutorService pool = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() throws InterruptedException {
        MDC.clear();
        pool.shutdownNow();
        pool.awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void carriedWorkSeesTheCallersMdcAndLeavesTheThreadAsItWas() throws Exception {
        pool.submit(() -> MDC.put("requestId", "earlier")).get();
        MDC.put(CallLogContext.REQUEST_ID, "r-1");
        Supplier<String> work = CallLogContext.carried(() -> MDC.get(CallLogContext.REQUEST_ID));
        MDC.clear();

        assertEquals("r-1", pool.submit(work::get).get(), "the MDC of the thread that made the work");
        assertEquals("earlier", pool.submit(() -> MDC.get("requestId")).get(), "the worker's own MDC is back");
    }

    @Test
    void aFailingTaskLeavesTheThreadsOwnMdc() {
        MDC.put(CallLogContext.REQUEST_ID, "r-2");
        Supplier<String> failing = CallLogContext.carried(() -> {
            MDC.put(CallLogContext.HOOK_INSTANCE, "h-2");
            throw new IllegalStateException("fails");
        });
        Executor continuation = CallLogContext.carrying(Runnable::run);
        MDC.setContextMap(Map.of("own", "mine"));

        assertThrows(IllegalStateException.class, failing::get);
        assertEquals(Map.of("own", "mine"), CallLogContext.current());
        assertThrows(IllegalStateException.class, () -> continuation.execute(() -> {
            MDC.put(CallLogContext.HOOK_INSTANCE, "h-3");
            throw new IllegalStateException("fails too");
        }));
        assertEquals(Map.of("own", "mine"), CallLogContext.current());
    }

    @Test
    void aContinuationRunsWithTheMdcOfWhereItWasMade() throws Exception {
        MDC.put(CallLogContext.REQUEST_ID, "r-4");
        Executor continuation = CallLogContext.carrying(pool);
        MDC.clear();
        CompletableFuture<String> seen = new CompletableFuture<>();
        continuation.execute(() -> seen.complete(MDC.get(CallLogContext.REQUEST_ID)));
        assertEquals("r-4", seen.get(5, TimeUnit.SECONDS));
    }

    @Test
    void onlyIdLikeHookInstancesAreLogged() {
        CallLogContext.hookInstance("d1577c69-dfbe-44ad-ba6d-3e05e953b2ea");
        assertEquals("d1577c69-dfbe-44ad-ba6d-3e05e953b2ea", MDC.get(CallLogContext.HOOK_INSTANCE));
        MDC.clear();
        CallLogContext.hookInstance("Jane Doe, born 1950");
        assertNull(MDC.get(CallLogContext.HOOK_INSTANCE));
    }

    @Test
    void idsAreTheClientsOnlyWhenShortAndPlain() {
        assertEquals("ehr.call_42-x", CallIds.requestId("ehr.call_42-x"));
        assertEquals("a".repeat(64), CallIds.requestId("a".repeat(64)));
        for (String offered : new String[] {null, "", "a".repeat(65), "two words", "line\nbreak", "a=b", "ü"}) {
            String id = CallIds.requestId(offered);
            assertNotEquals(offered, id);
            assertTrue(id.matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}"), id);
        }
        assertTrue(CallIds.traceId().matches("[0-9a-f]{32}"));
        assertTrue(CallIds.spanId().matches("[0-9a-f]{16}"));
        assertNotEquals(CallIds.traceId(), CallIds.traceId());
    }
}
