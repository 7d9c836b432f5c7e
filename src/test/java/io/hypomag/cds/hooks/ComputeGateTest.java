package io.hypomag.cds.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ComputeGateTest {
    private final ExecutorService threads = Executors.newFixedThreadPool(8);
    private final List<ComputeGate> gates = new ArrayList<>();

    @AfterEach
    void stop() {
        threads.shutdownNow();
        gates.forEach(ComputeGate::close);
    }

    /** A gate closed after the test, whatever its outcome. */
    private ComputeGate gate(int turns) {
        return gate(turns, Duration.ofSeconds(5));
    }

    private ComputeGate gate(int turns, Duration wait) {
        ComputeGate gate = new ComputeGate(turns, wait);
        gates.add(gate);
        return gate;
    }

    @Test
    void noMoreThanItsTurnsRunAtOnce() throws Exception {
        ComputeGate gate = gate(2);
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
        ComputeGate gate = gate(1);
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
        ComputeGate gate = gate(1);
        assertEquals("inner", gate.run(() -> gate.run(() -> "inner")));
        assertEquals(1, gate.available());
    }

    @Test
    void outsideWithoutATurnJustRuns() {
        ComputeGate gate = gate(1);
        assertEquals("io", gate.outside(() -> "io"));
        assertEquals(1, gate.available());
    }

    @Test
    void aFailingStepGivesItsTurnBack() {
        ComputeGate gate = gate(1);
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
        ComputeGate gate = gate(1);
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
        ComputeGate gate = gate(1, Duration.ofMillis(50));
        CountDownLatch release = holdTheOnlyTurn(gate);
        CdsRequestException busy = assertThrows(CdsRequestException.class, () -> gate.run(() -> "never"));
        assertEquals(503, busy.status());
        release.countDown();
    }

    @Test
    void submittedWorkIsDoneInPlaceWhenTheGateIsIdle() {
        ComputeGate gate = gate(2);
        String caller = Thread.currentThread().getName();
        CompletableFuture<String> done = gate.submit(() -> Thread.currentThread().getName());
        assertTrue(done.isDone(), "no hand-over when nothing computes or waits");
        assertEquals(caller, done.join());
        assertEquals(2, gate.available());
    }

    @Test
    void submittedWorkGoesToTheGatesWorkersWhenATurnIsTaken() throws Exception {
        ComputeGate gate = gate(2);
        CountDownLatch release = holdATurn(gate);
        String worker = gate.submit(() -> Thread.currentThread().getName()).get(5, TimeUnit.SECONDS);
        assertTrue(worker.startsWith("compute-"), worker);
        release.countDown();
    }

    @Test
    void submittedCallsTakeTheSameTurnsAsCallsRunInPlaceEvenWithSpareWorkers() throws Exception {
        ComputeGate gate = gate(2);
        AtomicInteger computing = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        Runnable compute = () -> {
            most.accumulateAndGet(computing.incrementAndGet(), Math::max);
            sleep(5);
            computing.decrementAndGet();
        };
        // Each call computes, waits outside (a worker then lets a spare worker take the queue), computes again.
        Supplier<Void> work = () -> {
            compute.run();
            gate.outside(() -> {
                sleep(10);
                return null;
            });
            compute.run();
            return null;
        };
        // A turn held while the calls arrive, so that no submitted call finds the gate idle and computes in place.
        CountDownLatch release = holdATurn(gate);
        CompletableFuture<?>[] calls = new CompletableFuture<?>[24];
        for (int i = 0; i < calls.length; i++) {
            calls[i] = i % 3 == 0 ? CompletableFuture.runAsync(() -> gate.run(work), threads) : gate.submit(work);
        }
        release.countDown();
        CompletableFuture.allOf(calls).get(20, TimeUnit.SECONDS);
        assertEquals(2, most.get());
        assertEquals(2, gate.available());
        assertTrue(gate.workers() > 2, "spare workers were started: " + gate.workers());
    }

    @Test
    void aWorkerWaitingOutsideLetsAnotherWorkerTakeTheQueue() throws Exception {
        // One turn, so one worker: without a spare worker the second call would wait behind the first's FHIR wait.
        ComputeGate gate = gate(1);
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
    }

    @Test
    void whatSubmittedWorkThrowsFailsItsFutureAndTheWorkerLivesOn() throws Exception {
        ComputeGate gate = gate(2);
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
        AtomicReference<String> thread = new AtomicReference<>();
        assertThrows(ExecutionException.class, () -> gate.submit(() -> {
            thread.set(Thread.currentThread().getName());
            throw new IllegalStateException("boom");
        }).get(5, TimeUnit.SECONDS));
        assertEquals(Thread.currentThread().getName(), thread.get());
        assertEquals(2, gate.available());
    }

    @Test
    void submittedWorkWithNoTurnWithinTheWaitIsA503() throws Exception {
        ComputeGate gate = gate(1, Duration.ofMillis(50));
        CountDownLatch release = holdTheOnlyTurn(gate);
        ExecutionException busy = assertThrows(ExecutionException.class,
                () -> gate.submit(() -> "never").get(5, TimeUnit.SECONDS));
        assertEquals(503, ((CdsRequestException) busy.getCause()).status());
        release.countDown();
    }

    @Test
    void queuedCallsGet503AtTheirWaitEvenWhenEveryWorkerIsStuck() throws Exception {
        ComputeGate gate = gate(1, Duration.ofMillis(200));
        CountDownLatch holder = holdATurn(gate);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch stuck = new CountDownLatch(1);
        // Queued while the turn is held, so a worker runs it; then that only worker stays in its work, and nobody
        // comes for the calls queued behind it.
        CompletableFuture<Void> stuckCall = gate.submit(() -> {
            stuck.countDown();
            await(release);
            return null;
        });
        holder.countDown();
        assertTrue(stuck.await(5, TimeUnit.SECONDS));
        long start = System.nanoTime();
        CompletableFuture<String> first = gate.submit(() -> "never");
        CompletableFuture<String> second = gate.submit(() -> "never");
        for (CompletableFuture<String> queued : List.of(first, second)) {
            ExecutionException busy = assertThrows(ExecutionException.class, () -> queued.get(5, TimeUnit.SECONDS));
            assertEquals(503, ((CdsRequestException) busy.getCause()).status());
        }
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(waited < 2_000, "answered near the 200 ms wait, took " + waited + " ms");
        release.countDown();
        stuckCall.get(5, TimeUnit.SECONDS);
    }

    @Test
    void closingAnswersCallsWaitingOnAWorkerOrInTheQueue503AtOnce() throws Exception {
        ComputeGate gate = gate(1);
        CountDownLatch release = holdTheOnlyTurn(gate);
        AtomicInteger computed = new AtomicInteger();
        // The first goes to a new worker, which waits for the held turn; the second stays in the queue behind it.
        CompletableFuture<Integer> onWorker = gate.submit(computed::incrementAndGet);
        CompletableFuture<Integer> inQueue = gate.submit(computed::incrementAndGet);
        awaitWaiting(gate, 2);
        gate.close();
        // Answered by close() itself, not when the turn comes back.
        assertTrue(onWorker.isDone() && inQueue.isDone());
        for (CompletableFuture<Integer> call : List.of(onWorker, inQueue)) {
            ExecutionException stopping = assertThrows(ExecutionException.class, call::get);
            assertEquals(503, ((CdsRequestException) stopping.getCause()).status());
        }
        // The turn comes back to the worker waiting first in line (the semaphore is fair): it must not compute the
        // call it was refused, and must give the turn back, so this run gets it after the worker is done.
        release.countDown();
        assertEquals("turn back", gate.run(() -> "turn back"));
        assertEquals(0, computed.get());
    }

    @Test
    void aCallSubmittedAsTheGateClosesIsRefusedOrComputedInPlaceNeverOnAWorkerAfterClose() throws Exception {
        // The turn comes back only after close(), so a worker could compute the call only after close: a bug. In
        // place is allowed: submit() passed its closed check before close() and then found the turn free.
        for (int round = 0; round < 200; round++) {
            ComputeGate gate = gate(1);
            CountDownLatch release = holdTheOnlyTurn(gate);
            Future<CompletableFuture<String>> submitted =
                    threads.submit(() -> gate.submit(() -> Thread.currentThread().getName()));
            gate.close();
            release.countDown();
            String outcome = outcome(submitted.get(5, TimeUnit.SECONDS));
            assertTrue(outcome.equals("503") || outcome.startsWith("pool-"), "round " + round + ": " + outcome);
            // No turn lost to the refused call, whoever took it last (a 503 here if one was).
            assertEquals("turn back", gate.run(() -> "turn back"));
        }
    }

    @Test
    void callsWaitingWhenTheGateClosesAsATurnComesBackAreAnsweredOnce() throws Exception {
        // close() and the turn's return race: each waiting call is computed (it got the turn first) or refused, and
        // its future holds that answer, never a null from a refused call's skipped work.
        for (int round = 0; round < 200; round++) {
            ComputeGate gate = gate(1);
            CountDownLatch release = holdTheOnlyTurn(gate);
            CompletableFuture<String> onWorker = gate.submit(() -> "computed");
            CompletableFuture<String> inQueue = gate.submit(() -> "computed");
            awaitWaiting(gate, 2);
            CountDownLatch go = new CountDownLatch(1);
            Future<?> closing = threads.submit(() -> {
                await(go);
                gate.close();
            });
            Future<?> releasing = threads.submit(() -> {
                await(go);
                release.countDown();
            });
            go.countDown();
            closing.get(5, TimeUnit.SECONDS);
            releasing.get(5, TimeUnit.SECONDS);
            for (CompletableFuture<String> call : List.of(onWorker, inQueue)) {
                String outcome = outcome(call);
                assertTrue(outcome.equals("503") || outcome.equals("computed"), "round " + round + ": " + outcome);
            }
            assertEquals("turn back", gate.run(() -> "turn back"));
        }
    }

    /** The call's value, or "503" when it was refused; a null value reads "null", any other failure fails. */
    private static String outcome(CompletableFuture<String> call) throws Exception {
        return call.handle((value, failure) -> failure == null ? String.valueOf(value)
                : failure instanceof CdsRequestException refusal ? String.valueOf(refusal.status())
                : "failed: " + failure).get(5, TimeUnit.SECONDS);
    }

    @Test
    void aClosedGateAnswers503AtOnce() {
        ComputeGate gate = gate(1);
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
        awaitCount(gate::available, turns);
    }

    /** Submitted calls reach their worker or the queue on the pool's time. */
    private static void awaitWaiting(ComputeGate gate, int calls) {
        awaitCount(gate::waiting, calls);
    }

    /** Polls for up to 5 s until the count reaches what is expected, then holds it to exactly that. */
    private static void awaitCount(IntSupplier count, int expected) {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (count.getAsInt() < expected && System.nanoTime() < until) {
            sleep(5);
        }
        assertEquals(expected, count.getAsInt());
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
