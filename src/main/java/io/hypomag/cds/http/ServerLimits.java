package io.hypomag.cds.http;

import io.hypomag.cds.hooks.ComputeGate;

/**
 * What one request, and all requests together, may cost the server.
 *
 * @param maxRequestBytes    MAX_REQUEST_BYTES: a larger body is refused with 413 before it is parsed
 * @param maxBundleEntries   MAX_BUNDLE_ENTRIES: entries in one prefetch Bundle or draftOrders; more is 413
 * @param maxThreads         HTTP_MAX_THREADS: Jetty's request threads
 * @param maxConcurrentCalls MAX_CONCURRENT_CALLS: service calls running at once; beyond it, 503 at once, so slow
 *                           calls leave threads for discovery, health and the calls already running
 * @param maxComputingCalls  MAX_COMPUTING_CALLS: of those, how many compute at once (parse, assess, compose); the
 *                           rest wait their turn in order, and a call waiting on a FHIR server gives its turn up. Two per core.
 */
public record ServerLimits(long maxRequestBytes, int maxBundleEntries, int maxThreads, int maxConcurrentCalls,
                           int maxComputingCalls) {
    /** Jetty's acceptor and selector threads come out of the same pool, and health checks need a thread or two. */
    static final int RESERVED_THREADS = 8;

    public ServerLimits {
        if (maxRequestBytes < 1 || maxBundleEntries < 1 || maxConcurrentCalls < 1 || maxComputingCalls < 1
                || maxThreads < maxConcurrentCalls + RESERVED_THREADS) {
            throw new IllegalArgumentException("inconsistent server limits");
        }
    }

    public static ServerLimits defaults() {
        return new ServerLimits(1024 * 1024, 2000, 64, 32, ComputeGate.defaultTurns());
    }

    public ServerLimits withMaxRequestBytes(long bytes) {
        return new ServerLimits(bytes, maxBundleEntries, maxThreads, maxConcurrentCalls, maxComputingCalls);
    }

    public ServerLimits withMaxBundleEntries(int entries) {
        return new ServerLimits(maxRequestBytes, entries, maxThreads, maxConcurrentCalls, maxComputingCalls);
    }

    public ServerLimits withConcurrency(int threads, int concurrentCalls) {
        return new ServerLimits(maxRequestBytes, maxBundleEntries, threads, concurrentCalls, maxComputingCalls);
    }

    public ServerLimits withComputingCalls(int computing) {
        return new ServerLimits(maxRequestBytes, maxBundleEntries, maxThreads, maxConcurrentCalls, computing);
    }
}
