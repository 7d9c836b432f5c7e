package io.hypomag.cds.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ComputeGateTest {
    private final ExecutorService threads = Executors.newFixedThreadPool(8);

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    @Test
    void noMoreThanItsTurnsRunAtOnce() throws Exception {
        ComputeGate gate = new ComputeGate(2);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CompletableFuture<?>[] calls = new CompletableFuture<?>[8];
        for (int i = 0; i < calls.length; i++) {
            calls[i] = CompletableFuture.runAsync(() -> gate.run(() -> {
                most.accumulateAndGet(running.incrementAndGet(), Math::max);
                sleep(20);
                running.decrementAndGet();
                return null;
            }), threads);
        }
        CompletableFuture.allOf(calls).get(10, TimeUnit.SECONDS);
        assertEquals(2, most.get());
        assertEquals(2, gate.available());
    }

    @Test
    void aCallWaitingOutsideLetsAnotherCompute() throws Exception {
        ComputeGate gate = new ComputeGate(1);
        CountDownLatch waiting = new CountDownLatch(1);
        CountDownLatch otherRan = new CountDownLatch(1);
        CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> gate.run(() -> gate.outside(() -> {
            waiting.countDown();
            await(otherRan);
            return "fetched";
        })), threads);
        assertTrue(waiting.await(5, TimeUnit.SECONDS));
        // The only turn is free while the first call waits on its "FHIR server".
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> gate.run(() -> {
            otherRan.countDown();
            return null;
        }), threads);
        second.get(5, TimeUnit.SECONDS);
        assertEquals("fetched", first.get(5, TimeUnit.SECONDS));
        assertEquals(1, gate.available());
    }

    @Test
    void aStepInsideAStepDoesNotWaitForItself() {
        ComputeGate gate = new ComputeGate(1);
        assertEquals("inner", gate.run(() -> gate.run(() -> "inner")));
        assertEquals(1, gate.available());
    }

    @Test
    void outsideWithoutATurnJustRuns() {
        ComputeGate gate = new ComputeGate(1);
        assertEquals("io", gate.outside(() -> "io"));
        assertEquals(1, gate.available());
    }

    @Test
    void aFailingStepGivesItsTurnBack() {
        ComputeGate gate = new ComputeGate(1);
        assertThrows(IllegalStateException.class, () -> gate.run(() -> {
            throw new IllegalStateException("boom");
        }));
        assertThrows(IllegalStateException.class, () -> gate.run(() -> gate.outside(() -> {
            throw new IllegalStateException("fetch failed");
        })));
        assertEquals(1, gate.available());
        assertEquals("after", gate.run(() -> "after"));
    }

    @Test
    void anInterruptedWaitIsA503NotAHang() throws Exception {
        ComputeGate gate = new ComputeGate(1);
        CountDownLatch release = holdTheOnlyTurn(gate);
        Thread.currentThread().interrupt();
        CdsRequestException refused = assertThrows(CdsRequestException.class, () -> gate.run(() -> "never"));
        assertEquals(503, refused.status());
        assertTrue(Thread.interrupted(), "the interrupt stays set for the caller");
        release.countDown();
        assertFalse(Thread.currentThread().isInterrupted());
    }

    @Test
    void noTurnWithinTheWaitIsA503() throws Exception {
        ComputeGate gate = new ComputeGate(1, Duration.ofMillis(50));
        CountDownLatch release = holdTheOnlyTurn(gate);
        CdsRequestException busy = assertThrows(CdsRequestException.class, () -> gate.run(() -> "never"));
        assertEquals(503, busy.status());
        release.countDown();
    }

    @Test
    void needsAtLeastOneTurn() {
        assertThrows(IllegalArgumentException.class, () -> new ComputeGate(0));
    }

    /** Another thread takes the gate's only turn and keeps it until the returned latch is counted down. */
    private CountDownLatch holdTheOnlyTurn(ComputeGate gate) throws InterruptedException {
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        threads.submit(() -> gate.run(() -> {
            holding.countDown();
            await(release);
            return null;
        }));
        assertTrue(holding.await(5, TimeUnit.SECONDS));
        return release;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
