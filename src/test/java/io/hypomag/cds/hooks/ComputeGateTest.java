package io.hypomag.cds.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
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
    void submittedWorkIsDoneInPlaceWhenTheGateIsIdle() {
        ComputeGate gate = new ComputeGate(2);
        String caller = Thread.currentThread().getName();
        CompletableFuture<String> done = gate.submit(() -> Thread.currentThread().getName());
        assertTrue(done.isDone(), "no hand-over when nothing computes or waits");
        assertEquals(caller, done.join());
        assertEquals(2, gate.available());
        gate.close();
    }

    @Test
    void submittedWorkGoesToTheGatesWorkersWhenATurnIsTaken() throws Exception {
        ComputeGate gate = new ComputeGate(2);
        CountDownLatch release = holdATurn(gate);
        String worker = gate.submit(() -> Thread.currentThread().getName()).get(5, TimeUnit.SECONDS);
        assertTrue(worker.startsWith("compute-"), worker);
        release.countDown();
        gate.close();
    }

    @Test
    void submittedCallsTakeTheSameTurnsAsCallsRunInPlace() throws Exception {
        ComputeGate gate = new ComputeGate(2);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        Supplier<Void> work = () -> {
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            sleep(20);
            running.decrementAndGet();
            return null;
        };
        CompletableFuture<?>[] calls = new CompletableFuture<?>[12];
        for (int i = 0; i < calls.length; i++) {
            calls[i] = i % 3 == 0 ? CompletableFuture.runAsync(() -> gate.run(work), threads) : gate.submit(work);
        }
        CompletableFuture.allOf(calls).get(10, TimeUnit.SECONDS);
        assertEquals(2, most.get());
        assertEquals(2, gate.available());
        gate.close();
    }

    @Test
    void aWorkerWaitingOutsideLetsAnotherWorkerTakeTheQueue() throws Exception {
        // One turn, so one worker: without a spare worker the second call would wait behind the first's FHIR wait.
        ComputeGate gate = new ComputeGate(1);
        CountDownLatch release = holdATurn(gate);
        CountDownLatch otherRan = new CountDownLatch(1);
        // Both queued while the turn is held elsewhere, so both go to workers, in this order.
        CompletableFuture<String> first = gate.submit(() -> gate.outside(() -> {
            await(otherRan);
            return otherRan.getCount() == 0 ? "fetched" : "gave up";
        }));
        CompletableFuture<String> second = gate.submit(() -> {
            otherRan.countDown();
            return Thread.currentThread().getName();
        });
        release.countDown();
        assertTrue(second.get(5, TimeUnit.SECONDS).startsWith("compute-"));
        assertEquals("fetched", first.get(5, TimeUnit.SECONDS));
        assertEquals(1, gate.available());
        // The spare worker ends after a second without work; the turns were the limit all along.
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (gate.workers() > 1 && System.nanoTime() < until) {
            sleep(50);
        }
        assertEquals(1, gate.workers());
        gate.close();
    }

    @Test
    void whatSubmittedWorkThrowsFailsItsFutureAndTheWorkerLivesOn() throws Exception {
        ComputeGate gate = new ComputeGate(2);
        CountDownLatch release = holdATurn(gate);
        ExecutionException failed = assertThrows(ExecutionException.class, () -> gate.submit(() -> {
            throw new CdsRequestException(400, "bad request", "/context");
        }).get(5, TimeUnit.SECONDS));
        assertEquals(400, ((CdsRequestException) failed.getCause()).status());
        ExecutionException error = assertThrows(ExecutionException.class, () -> gate.submit(() -> {
            throw new StackOverflowError();
        }).get(5, TimeUnit.SECONDS));
        assertTrue(error.getCause() instanceof StackOverflowError);
        assertEquals("after", gate.submit(() -> "after").get(5, TimeUnit.SECONDS));
        release.countDown();
        awaitFreeTurns(gate, 2);
        // Done in place (the gate idle), a failure comes back the same way.
        assertThrows(ExecutionException.class, () -> gate.submit(() -> {
            throw new IllegalStateException("boom");
        }).get(5, TimeUnit.SECONDS));
        assertEquals(2, gate.available());
        gate.close();
    }

    @Test
    void submittedWorkWithNoTurnWithinTheWaitIsA503() throws Exception {
        ComputeGate gate = new ComputeGate(1, Duration.ofMillis(50));
        CountDownLatch release = holdTheOnlyTurn(gate);
        ExecutionException busy = assertThrows(ExecutionException.class,
                () -> gate.submit(() -> "never").get(5, TimeUnit.SECONDS));
        assertEquals(503, ((CdsRequestException) busy.getCause()).status());
        release.countDown();
        gate.close();
    }

    @Test
    void aClosedGateAnswers503AtOnce() {
        ComputeGate gate = new ComputeGate(1);
        gate.close();
        CompletableFuture<String> refused = gate.submit(() -> "never");
        assertTrue(refused.isCompletedExceptionally());
        ExecutionException stopping = assertThrows(ExecutionException.class, refused::get);
        assertEquals(503, ((CdsRequestException) stopping.getCause()).status());
    }

    @Test
    void needsAtLeastOneTurn() {
        assertThrows(IllegalArgumentException.class, () -> new ComputeGate(0));
    }

    /** The holding thread gives its turn back on its own time. */
    private static void awaitFreeTurns(ComputeGate gate, int turns) {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (gate.available() < turns && System.nanoTime() < until) {
            sleep(5);
        }
        assertEquals(turns, gate.available());
    }

    /** Another thread takes the gate's only turn and keeps it until the returned latch is counted down. */
    private CountDownLatch holdTheOnlyTurn(ComputeGate gate) throws InterruptedException {
        return holdATurn(gate);
    }

    /** Another thread takes one of the gate's turns and keeps it until the returned latch is counted down. */
    private CountDownLatch holdATurn(ComputeGate gate) throws InterruptedException {
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
