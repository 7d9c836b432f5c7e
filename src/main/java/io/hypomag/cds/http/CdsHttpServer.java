package io.hypomag.cds.http;

import io.hypomag.cds.fhir.FhirFetcher;
import io.hypomag.cds.fhir.FhirJson;
import io.hypomag.cds.hooks.CdsJson;
import io.hypomag.cds.hooks.CdsRequestException;
import io.hypomag.cds.hooks.CdsRequestParser;
import io.hypomag.cds.hooks.CdsResponse;
import io.hypomag.cds.hooks.CdsService;
import io.hypomag.cds.hooks.CdsServiceCatalog;
import io.hypomag.cds.hooks.CdsServiceEndpoint;
import io.hypomag.cds.hooks.ComputeGate;
import io.hypomag.cds.hooks.CdsServiceHandler;
import io.hypomag.cds.hooks.CdsServices;
import io.hypomag.cds.hooks.MissingPrefetchException;
import io.hypomag.cds.hooks.PrefetchResolver;
import io.hypomag.cds.hooks.WarmUpRequests;
import io.hypomag.cds.hooks.WarmUpSamples;
import io.hypomag.cds.ledger.CardRecord;
import io.hypomag.cds.ledger.CardRecords;
import io.hypomag.cds.logging.CallLogContext;
import io.hypomag.cds.ops.ComponentHealth;
import io.hypomag.cds.ops.Health;
import io.hypomag.cds.ops.ServiceMetrics;
import io.hypomag.cds.review.SmartLaunch;
import io.hypomag.cds.http.auth.AuthFailure;
import io.hypomag.cds.http.auth.Authentication;
import io.hypomag.cds.http.auth.JwksKeys;
import io.hypomag.cds.http.auth.ReplayCache;
import io.hypomag.cds.http.auth.ReplayCheckUnavailable;
import io.hypomag.cds.http.auth.ReplayStore;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The HTTP face of the service (Javalin 7): discovery, service calls, feedback, admin, health, metrics, CORS and
 * one JSON error body for every failure. The CDS Hooks logic lives in {@link CdsServiceEndpoint}; this class only
 * moves bytes and statuses, and hands each answer's cards to the ledger after the answer is built.
 *
 * <p>Logging rule: exception class, status and service id only; never bodies, patient ids, resources or tokens.
 * {@link AccessLog} writes one line per request.
 *
 * <p>Order on a service call: CORS (preflights end there) → client JWT ({@link Authentication}: 401, or 503 when the jti
 * replay store cannot answer) → Content-Type (415)
 * → body size (413) → concurrency limit (503) → the CDS Hooks call.
 */
public final class CdsHttpServer implements AutoCloseable {
    static final String JSON_UTF8 = "application/json; charset=utf-8";
    /**
     * Warm-up rounds over HTTP (each: every service with a made-up patient and with every sample patient, discovery,
     * health, one bad request). The time bound ends it first: on two cores the first round alone takes about the
     * budget, and ready must come within 2 s (docs/benchmark.md has the numbers).
     */
    private static final int WARM_UP_ROUNDS = 40;
    private static final Duration WARM_UP_BUDGET = Duration.ofMillis(600);
    private static final int MIN_THREADS = 8;
    private static final long SHUTDOWN_IDLE_TIMEOUT_MS = 5_000;
    private static final int THREAD_IDLE_MS = 60_000;
    private static final Logger LOG = LoggerFactory.getLogger(CdsHttpServer.class);

    private final Settings settings;
    private final FhirJson fhir;
    private final CdsServices services;
    private final PrefetchResolver resolver;
    private final CdsServiceEndpoint endpoint;
    private final byte[] discoveryDocument;
    private final AtomicBoolean ready = new AtomicBoolean(false);
    /** Set on SIGTERM: /health/ready answers 503 from then on, while calls are still served (see {@link #drain}). */
    private final AtomicBoolean stopping = new AtomicBoolean(false);
    private final HttpWarmUp warmUp = new HttpWarmUp();
    private final AtomicReference<HttpWarmUp.Report> warmUpReport = new AtomicReference<>();
    /** Jetty's server, for the graceful stop's timeout. */
    private final AtomicReference<Server> jetty = new AtomicReference<>();
    /** The loopback connector the warm-up talks to; the public one is made like it (listen()). */
    private final AtomicReference<ServerConnector> loopbackConnector = new AtomicReference<>();
    private final Operations ops;
    /** Where the warm-up's calls are counted: the same code as the real metrics, in a registry nobody reads. */
    private final ServiceMetrics warmUpMetrics = ServiceMetrics.scratch();
    private final FeedbackRoute feedback;
    private final AdminRoutes admin;
    private final Optional<ReviewRoutes> review;
    private final CallLimiter limiter;
    /** Jetty's request threads; the services' answers are written on them too ({@link #callService}). */
    private final QueuedThreadPool requestThreads;
    private final AccessLog accessLog;
    private final RequestTags requestTags;
    private final Javalin app;

    private CdsHttpServer(Settings settings, FhirJson fhir, CdsServiceCatalog catalog, List<CdsServiceHandler> handlers,
                          Operations ops) {
        this.settings = settings;
        this.fhir = fhir;
        this.services = CdsServices.bind(catalog, handlers);
        // The fetch budget and token lifetimes are wall-clock time, whatever clock the assessment runs on.
        Clock wall = Clock.systemUTC();
        this.resolver = new PrefetchResolver(new FhirFetcher(fhir, settings.fhir(), wall), settings.fhir(), wall,
                ops.metrics()::fhirFetch, new ComputeGate(settings.limits().maxComputingCalls()));
        ops.health().with("fhirClient", () -> FhirClientHealth.of(resolver.state()));
        this.endpoint = new CdsServiceEndpoint(services,
                new CdsRequestParser(fhir, settings.limits().maxBundleEntries()), resolver);
        this.discoveryDocument = catalog.document();
        this.ops = ops;
        services.all().forEach(service -> ops.metrics().expectCalls(service.id(), service.definition().hook()));
        services.all().forEach(service -> ops.metrics().expectFeedback(service.id(), FeedbackRoute.reasonTags()));
        ops.metrics().expectAuthFailures(java.util.Arrays.stream(AuthFailure.Reason.values()).map(Enum::name).toList());
        this.limiter = new CallLimiter(settings.limits().maxConcurrentCalls());
        this.requestThreads = requestThreads(settings.limits());
        this.accessLog = new AccessLog(id -> services.find(id).isPresent());
        this.feedback = new FeedbackRoute(endpoint, ops, settings.limits().maxRequestBytes());
        this.admin = new AdminRoutes(settings.adminToken(), ops);
        // Off (no routes: 404) unless REVIEW_CLIENT_ID and REVIEW_REDIRECT_URI are set.
        this.review = settings.review().map(app -> new ReviewRoutes(new SmartLaunch(app, settings.fhir(), wall), endpoint));
        this.app = javalin(new Cors(settings), Authentication.create(settings.auth(), issuerKeys(settings, ops),
                replayStore(settings, ops), wall));
        this.requestTags = new RequestTags(() -> app.unsafe.internalRouter);
    }

    /** The trusted issuers' key sets, reported in health and metrics when tokens are checked at all. */
    private static JwksKeys issuerKeys(Settings settings, Operations ops) {
        JwksKeys keys = new JwksKeys(settings.auth());
        if (settings.auth().required()) {
            ops.health().with("issuerKeys", () -> IssuerKeysHealth.of(keys));
            ops.metrics().bind(new IssuerKeysMetrics(keys));
        } else {
            ops.health().with("issuerKeys", IssuerKeysHealth::off);
        }
        return keys;
    }

    /**
     * The store Operations brings (the database, with DB_URL) or one in memory; reported in health and metrics when
     * tokens are checked at all.
     */
    private static ReplayStore replayStore(Settings settings, Operations ops) {
        ReplayStore store = ops.replays().orElseGet(() -> new ReplayCache(settings.auth().replayCacheSize()));
        if (settings.auth().required()) {
            ops.health().with("replayStore", () -> ReplayStoreHealth.of(store.status()));
            ops.metrics().bindReplayStore(store, s -> s.status().unavailable());
        } else {
            ops.health().with("replayStore", ReplayStoreHealth::off);
        }
        return store;
    }

    /** @throws io.hypomag.cds.hooks.CdsConfigurationException when the handlers and the discovery document disagree */
    public static CdsHttpServer create(Settings settings, FhirJson fhir, CdsServiceCatalog catalog,
                                       List<CdsServiceHandler> handlers, Operations ops) {
        return new CdsHttpServer(settings, fhir, catalog, handlers, ops);
    }

    /** Without a ledger. */
    public static CdsHttpServer create(Settings settings, FhirJson fhir, CdsServiceCatalog catalog, List<CdsServiceHandler> handlers) {
        return create(settings, fhir, catalog, handlers, Operations.withoutLedger());
    }

    /** With the discovery document the jar ships and the given ledger, metrics and health. */
    public static CdsHttpServer create(Settings settings, FhirJson fhir, List<CdsServiceHandler> handlers, Operations ops) {
        return create(settings, fhir, CdsServiceCatalog.fromClasspath(), handlers, ops);
    }

    /** With the discovery document the jar ships. */
    public static CdsHttpServer create(Settings settings, FhirJson fhir, List<CdsServiceHandler> handlers) {
        return create(settings, fhir, CdsServiceCatalog.fromClasspath(), handlers);
    }

    /** Bounded: under overload requests wait in Jetty's queue or get 503 (CallLimiter), never a thread each. */
    private static QueuedThreadPool requestThreads(ServerLimits limits) {
        QueuedThreadPool threads = new QueuedThreadPool(limits.maxThreads(), Math.min(MIN_THREADS, limits.maxThreads()),
                THREAD_IDLE_MS);
        threads.setName("http");
        return threads;
    }

    private Javalin javalin(Cors cors, Authentication authentication) {
        ServerLimits limits = settings.limits();
        return Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.http.maxRequestSize = limits.maxRequestBytes();
            config.jetty.threadPool = requestThreads;
            config.router.javaLangErrorHandler(CdsHttpServer::onError);
            config.jetty.modifyServer(server -> {
                server.setErrorHandler(new JettyJsonErrors(ops.metrics()));
                // Jetty's own graceful stop, used by closeGracefully(): the connectors stop accepting and requests in
                // flight finish (the handler counts them; one arriving meanwhile gets 503) within the stop timeout.
                server.insertHandler(new GracefulHandler());
                // Outermost: every request gets its id and the MDC, whatever answers it.
                server.insertHandler(new CallIdHandler());
                jetty.set(server);
            });
            // Only a loopback port at first, for the warm-up; the public port opens after it (listen()).
            config.jetty.addConnector((server, http) -> {
                ServerConnector loopback = new ServerConnector(server, new HttpConnectionFactory(http));
                loopback.setHost(HttpWarmUp.LOOPBACK);
                loopback.setPort(0);
                loopbackConnector.set(loopback);
                return loopback;
            });
            // One request logger: the access-log line and the request metrics. A warm-up call runs the same code and
            // leaves no trace: its line is built and not written, its metrics go to a registry nobody reads.
            config.requestLogger.http((ctx, millis) -> {
                if (HttpWarmUp.isWarmUpCall(ctx)) {
                    accessLog.line(ctx, millis);
                    measure(ctx, millis, warmUpMetrics);
                } else {
                    accessLog.log(ctx, millis);
                    measure(ctx, millis, ops.metrics());
                }
            });
            // Decided once, first: the logger runs after the answer is sent, when the warm-up may be over.
            config.routes.before(warmUp::mark);
            config.routes.before(cors::handle);
            // Discovery, every service and its feedback path; health stays open for the orchestrator.
            config.routes.before("/cds-services", ctx -> authenticate(authentication, ctx));
            config.routes.before("/cds-services/*", ctx -> authenticate(authentication, ctx));
            config.routes.get("/cds-services", this::discovery);
            config.routes.post("/cds-services/{id}", this::callService);
            config.routes.post("/cds-services/{id}/feedback", feedback::handle);
            config.routes.get("/health/live", ctx -> json(ctx, 200, CdsJson.write(Map.of("status", "live"))));
            config.routes.get("/health/ready", this::readiness);
            config.routes.get("/metrics", new MetricsRoute(settings.metricsToken(), ops.metrics())::handle);
            config.routes.get("/admin", admin::page);
            config.routes.post("/admin/login", admin::login);
            config.routes.get("/admin/analytics", admin::analytics);
            review.ifPresent(pages -> {
                config.routes.get("/review/launch", pages::launch);
                config.routes.get("/review/callback", pages::callback);
            });
            config.routes.after(this::drainUnreadBody);
            config.routes.exception(AuthFailure.class, this::onAuthFailure);
            config.routes.exception(ReplayCheckUnavailable.class, CdsHttpServer::onReplayCheckUnavailable);
            config.routes.exception(CdsRequestException.class, this::onRequestProblem);
            config.routes.exception(HttpResponseException.class, this::onHttpProblem);
            config.routes.exception(Exception.class, this::onUnexpected);
        });
    }

    /**
     * Warms up on a loopback port, then opens the public one: the first real request finds the classes it needs
     * loaded and much of its code compiled. @return the public port (useful with port 0)
     * @throws IllegalStateException when the public port cannot be opened (in use, not allowed)
     */
    public int start() {
        warmUp();
        return listen();
    }

    /** Starts on the loopback port only and warms up; {@link #start()} does this, then opens the public port. */
    public void warmUp() {
        long start = System.nanoTime();
        // Three independent steps side by side, as the start has cores to spare between them: reading the sample
        // patients (a thread of its own: the common pool, one thread on two cores, runs HAPI's model scan), starting
        // Jetty here, and HAPI's model scan, begun in the background by Main. In a row they took ~0.4 s of the start.
        CompletableFuture<List<WarmUpSamples.Sample>> samples = new CompletableFuture<>();
        Thread reader = new Thread(() -> samples.complete(warmUpSamples()), "warm-up-samples");
        reader.setDaemon(true);
        reader.start();
        app.start();
        long prepared;
        try {
            fhir.warmUp();
            List<WarmUpSamples.Sample> read = samples.join();
            prepared = System.nanoTime();
            warmUpOverHttp(read);
        } catch (RuntimeException | Error e) {
            // Jetty's threads would keep the process alive, unready, with no public port: stop it with the failure.
            app.stop();
            throw e;
        }
        LOG.info("Warmed up: Jetty, HAPI model and samples {} ms, then over HTTP {} ms", (prepared - start) / 1_000_000,
                (System.nanoTime() - prepared) / 1_000_000);
        ready.set(true);
    }

    /**
     * The first half of a graceful stop: /health/ready answers 503 from now on, so load balancers take this instance
     * out, while it keeps serving every call for {@code grace}. {@link #closeGracefully()} then finishes the calls
     * in flight.
     */
    public void drain(Duration grace) {
        stopping.set(true);
        LOG.info("Stopping: /health/ready answers 503; calls are served for {} s more", grace.toSeconds());
        long end = System.nanoTime() + grace.toNanos();
        for (long left = grace.toNanos(); left > 0; left = end - System.nanoTime()) {
            java.util.concurrent.locks.LockSupport.parkNanos(left);
        }
    }

    /**
     * Stops Jetty gracefully: no new connection, and the calls in flight (those waiting for a turn on the cores too)
     * are answered, for at most the shutdown timeout; then the compute gate closes, answering 503 to anything left.
     * @throws RuntimeException when calls were still in flight at the timeout (Jetty then stopped them)
     */
    public void closeGracefully() {
        stopping.set(true);
        jetty.get().setStopTimeout(settings.shutdown().timeout().toMillis());
        try {
            app.stop();
        } finally {
            resolver.computeGate().close();
            closeRest();
        }
    }

    /** Stops at once (tests, the build's warm-up run): calls queued for a turn get their 503 written, not an error. */
    @Override
    public void close() {
        stopping.set(true);
        // The gate first, while Jetty still runs.
        resolver.computeGate().close();
        // Jetty stops every connector in its list, the public one added after the start included.
        app.stop();
        closeRest();
    }

    private void closeRest() {
        resolver.close();
        warmUpMetrics.close();
    }

    /**
     * HAPI's first parse costs most of a second and Jetty's and Javalin's first requests some more: synthetic calls
     * per service over real HTTP move that cost to start-up. Calls that fail are logged (count only) but do not stop
     * the start: the synthetic data are not a real patient and the real calls are what matter.
     */
    private void warmUpOverHttp(List<WarmUpSamples.Sample> samples) {
        List<HttpWarmUp.Call> calls = new ArrayList<>();
        for (CdsService service : services.all()) {
            calls.add(new HttpWarmUp.Call("/cds-services/" + service.id(), WarmUpRequests.requestFor(service.definition()), 200, false));
        }
        calls.add(new HttpWarmUp.Call("/cds-services", null, 200, true));
        // Not ready until the warm-up is over: 503 is the expected answer.
        calls.add(new HttpWarmUp.Call("/health/ready", null, 503, false));
        calls.add(new HttpWarmUp.Call("/health/live", null, 200, false));
        // The error path too: a body that is not JSON.
        calls.add(new HttpWarmUp.Call("/cds-services/" + services.all().get(0).id(), new byte[] {'{'}, 400, true));
        // Last, so that on a slow machine the time limit cuts these rather than the calls above: the sample patients,
        // which take the paths the made-up one does not (units, trends, urine studies, orders).
        for (WarmUpSamples.Sample sample : samples) {
            services.all().stream().filter(service -> service.definition().hook().equals(sample.hook())).findFirst()
                    .ifPresent(service -> calls.add(new HttpWarmUp.Call("/cds-services/" + service.id(), sample.body(), 200, false)));
        }
        HttpWarmUp.Report report = warmUp.run(loopbackConnector.get().getLocalPort(), calls, WARM_UP_ROUNDS, WARM_UP_BUDGET);
        warmUp.end();
        warmUpReport.set(report);
        if (report.failed() > 0) {
            LOG.warn("{} of {} warm-up calls were not answered as expected", report.failed(), report.requests());
        }
        LOG.debug("HTTP warm-up: {} rounds, {} requests, {} ms", report.rounds(), report.requests(), report.millis());
    }

    /**
     * Samples missing or unreadable cost the warm-up its breadth, not the start; either is said once. Errors too: this
     * runs on a thread of its own, whose failure must still end in an answer (an empty list) and a log line.
     */
    private static List<WarmUpSamples.Sample> warmUpSamples() {
        try {
            List<WarmUpSamples.Sample> samples = WarmUpSamples.load(Instant.now());
            if (samples.isEmpty()) {
                LOG.warn("Warm-up without the sample patients: the jar holds none (warm-up/)");
            }
            return samples;
        } catch (RuntimeException | Error e) {
            LOG.warn("Warm-up without the sample patients: {}", e.getClass().getName());
            return List.of();
        }
    }

    /** The warm-up's key, for tests: it must open nothing once the service listens. */
    String warmUpKey() {
        return warmUp.key();
    }

    /** How the warm-up went; empty before it ran. */
    /** The calls' turns on the cores; tests hold them to see calls queue. */
    ComputeGate computeGate() {
        return resolver.computeGate();
    }

    /** Jetty's request threads; tests look at what a call leaves on them. */
    QueuedThreadPool requestThreads() {
        return requestThreads;
    }

    Optional<HttpWarmUp.Report> warmUpReport() {
        return Optional.ofNullable(warmUpReport.get());
    }

    /** Opens the public port, then closes the loopback one: from here on only real calls arrive. */
    private int listen() {
        ServerConnector loopback = loopbackConnector.get();
        Server server = loopback.getServer();
        HttpConfiguration http = loopback.getConnectionFactory(HttpConnectionFactory.class).getHttpConfiguration();
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(settings.host());
        connector.setPort(settings.port());
        // On stop Jetty gives every connection this idle timeout (its default, 1 s), so that idle keep-alive
        // connections close and the stop need not wait for them; a call whose client falls silent mid-body for that
        // long is cut off too. 5 s spares a slow client without holding the stop long for a pooled idle connection.
        connector.setShutdownIdleTimeout(Math.min(SHUTDOWN_IDLE_TIMEOUT_MS, settings.shutdown().timeout().toMillis()));
        server.addConnector(connector);
        try {
            connector.start();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot listen on " + settings.host() + " port " + settings.port() + ": "
                    + e.getMessage(), e);
        }
        try {
            server.removeConnector(loopback);
            loopback.stop();
        } catch (Exception e) {
            // The loopback port left open does not stop the service from serving: worth a warning, not a failed start.
            LOG.warn("Closing the warm-up port failed: {}", e.getClass().getName());
        }
        return connector.getLocalPort();
    }

    /** The client check, except for the warm-up's own calls (which carry its one-time key). */
    private void authenticate(Authentication authentication, Context ctx) {
        if (!HttpWarmUp.isWarmUpCall(ctx)) {
            authentication.handle(ctx);
        }
    }

    private void discovery(Context ctx) {
        json(ctx, 200, discoveryDocument);
    }

    /**
     * Under load the call is handed to the compute gate's workers and this request thread is free at once; the answer
     * is written from a request thread again, so a client slow to read it never holds a turn on the cores. When the
     * gate is idle, it is computed and answered right here ({@link ComputeGate#submit}).
     */
    private void callService(Context ctx) {
        requireJsonContentType(ctx.contentType());
        byte[] body = boundedBody(ctx, settings.limits().maxRequestBytes());
        String serviceId = ctx.pathParam("id");
        // Noted by the worker, put on the request here (for the access log), whether the call answers or fails.
        AtomicReference<String> hookInstance = new AtomicReference<>();
        CompletableFuture<Answer> call = limiter.run(() -> endpoint.callAsync(serviceId, body,
                request -> {
                    hookInstance.set(request.hookInstance());
                    CallLogContext.hookInstance(request.hookInstance());
                },
                response -> new Answer(response, CdsJson.write(response))));
        if (call.isDone()) {
            // Done already (computed here because the gate was idle, or refused at once): answered here, no hand-over.
            call.handle((answer, failure) -> finish(ctx, serviceId, answer, failure, hookInstance.get())).join();
            return;
        }
        // The answer is written, and the access line logged, on another request thread: with this call's MDC.
        ctx.future(() -> call.handleAsync((answer, failure) -> finish(ctx, serviceId, answer, failure,
                hookInstance.get()), CallLogContext.carrying(requestThreads)));
    }

    /** Puts the call's hookInstance on the request (for the access log), then answers, or rethrows what it threw. */
    private Answer finish(Context ctx, String serviceId, Answer answer, Throwable failure, String hookInstance) {
        if (hookInstance != null) {
            ctx.attribute(AccessLog.HOOK_INSTANCE, hookInstance);
            CallLogContext.hookInstance(hookInstance);
        }
        if (failure != null) {
            // Javalin unwraps an Exception from it for the usual handlers; an Error stays wrapped (onUnexpected).
            throw failure instanceof CompletionException completion ? completion : new CompletionException(failure);
        }
        respond(ctx, serviceId, answer);
        return answer;
    }

    private void respond(Context ctx, String serviceId, Answer answer) {
        json(ctx, 200, answer.json());
        CdsResponse response = answer.response();
        // After the answer is built; recording only hands records to the ledger's buffer and never waits.
        CdsService service = endpoint.find(serviceId);
        List<CardRecord> cards = CardRecords.of(service.id(), service.definition().hook(), response, ops.clock().instant());
        if (HttpWarmUp.isWarmUpCall(ctx)) {
            // The same code, nothing kept: metrics nobody reads, ledger rows rolled back.
            warmUpMetrics.cards(cards);
            ops.ledger().rehearseCards(cards);
            return;
        }
        ops.metrics().cards(cards);
        ops.ledger().recordCards(cards);
    }

    /**
     * The body, refused with 413 past the limit: at once when Content-Length says so, otherwise after reading one byte
     * more than allowed, so a chunked body without a length cannot grow without bound either.
     */
    static byte[] boundedBody(Context ctx, long maxBytes) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBytes) {
            throw tooLarge(maxBytes);
        }
        try (InputStream in = ctx.req().getInputStream()) {
            if (declared >= 0) {
                // The usual case: the declared length, read into one array of that size.
                byte[] body = new byte[(int) declared];
                if (in.readNBytes(body, 0, body.length) < body.length) {
                    throw new CdsRequestException(400, "The request body is shorter than its Content-Length", "body");
                }
                return body;
            }
            byte[] body = in.readNBytes(Math.toIntExact(maxBytes + 1));
            if (body.length > maxBytes) {
                throw tooLarge(maxBytes);
            }
            return body;
        } catch (IOException e) {
            throw new CdsRequestException(400, "The request body could not be read", "body");
        }
    }

    private static CdsRequestException tooLarge(long maxBytes) {
        return new CdsRequestException(413, "Request body larger than " + maxBytes + " bytes", "body");
    }

    /**
     * Ready: warmed up, not stopping, and no critical component down (200). A down ledger database leaves the service
     * answering cards, so it stays ready with status "degraded"; the body names every component and its state.
     */
    private void readiness(Context ctx) {
        Map<String, ComponentHealth> components = ops.health().check();
        Map<String, Object> body = new LinkedHashMap<>();
        boolean stop = stopping.get();
        boolean up = ready.get() && !stop && !Health.anyCriticalDown(components);
        body.put("status", stop ? "stopping" : !ready.get() ? "warming up" : !up ? "down"
                : Health.anyImpaired(components) ? "degraded" : "ready");
        body.put("components", components);
        json(ctx, up ? 200 : 503, CdsJson.write(body));
    }

    /**
     * Every answer by route template (http.server.requests), and service and feedback calls by known service id, hook,
     * kind and status (cds_requests).
     */
    private void measure(Context ctx, Float millis, ServiceMetrics metrics) {
        metrics.httpRequest(requestTags.of(ctx), Duration.ofNanos((long) (millis * 1_000_000)));
        String id = ctx.pathParamMap().get("id");
        if (id == null || !ctx.path().startsWith("/cds-services/")) {
            return;
        }
        String kind = ctx.path().endsWith("/feedback") ? "feedback" : "call";
        String hook = services.find(id).map(s -> s.definition().hook()).orElse("none");
        metrics.request(knownServiceId(ctx).equals("-") ? "unknown" : id, hook, kind, ctx.statusCode(),
                Duration.ofNanos((long) (millis * 1_000_000)));
    }

    /** application/json with any parameters (charset=utf-8 is common); anything else is 415. */
    static void requireJsonContentType(String contentType) {
        String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!mediaType.equals("application/json")) {
            throw new CdsRequestException(415, "Content-Type must be application/json", "Content-Type");
        }
    }

    /**
     * An error answered before the body was read (401, 415, 404, a 400 on a header) leaves the client's bytes unread;
     * Jetty then closes the connection, and a client still sending can get the reset instead of the answer ("header
     * parser received no bytes", seen in the tests). A body within the size limit is read and dropped first; one over
     * it is not: it was refused for its size. Successful calls have read their body, so only errors pay for this.
     */
    private void drainUnreadBody(Context ctx) {
        long limit = settings.limits().maxRequestBytes();
        if (ctx.statusCode() < 400 || ctx.req().getContentLengthLong() > limit) {
            return;
        }
        try {
            InputStream in = ctx.req().getInputStream();
            byte[] buffer = new byte[8192];
            long left = limit;
            for (int n; left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0; ) {
                left -= n;
            }
        } catch (IOException | IllegalStateException e) {
            // Already read, closed, or the client went away: nothing left to protect.
        }
    }

    /** A bare 401: which check failed is in the log (Authentication) and the metrics, never in the answer. */
    private void onAuthFailure(AuthFailure e, Context ctx) {
        RequestTags.exception(ctx, e);
        ops.metrics().authFailure(e.reason().name());
        ctx.header("WWW-Authenticate", "Bearer");
        error(ctx, ErrorBody.of(401, "Unauthorized", null));
    }

    /**
     * 503, not 401: the token may be fine, only its jti could not be checked (the replay store's database did not
     * answer), and it was not recorded, so the client may send it again. The store logs the cause.
     */
    private static void onReplayCheckUnavailable(ReplayCheckUnavailable e, Context ctx) {
        RequestTags.exception(ctx, e);
        ctx.header("Retry-After", "1");
        error(ctx, ErrorBody.of(503, "The token replay check is unavailable; retry with the same token", "Authorization"));
    }

    private void onRequestProblem(CdsRequestException e, Context ctx) {
        RequestTags.exception(ctx, e);
        if (e.status() == 503) {
            ctx.header("Retry-After", "1");
        }
        List<String> missing = e instanceof MissingPrefetchException m ? m.missingKeys() : List.of();
        Map<String, String> reasons = e instanceof MissingPrefetchException m ? m.reasons() : Map.of();
        if (!HttpWarmUp.isWarmUpCall(ctx)) {
            LOG.info("{} on {}: {} at {}", e.status(), knownServiceId(ctx), e.getClass().getSimpleName(), e.where());
        }
        error(ctx, new ErrorBody(e.getMessage(), e.where(), e.status(), missing, reasons));
    }

    /** Javalin's own answers: unknown route (404), body too large (413), and so on. */
    private void onHttpProblem(HttpResponseException e, Context ctx) {
        RequestTags.exception(ctx, e);
        int status = e.getStatus();
        String message = status == 404 ? "Not found: see GET /cds-services for the services" : reasonPhrase(status);
        error(ctx, ErrorBody.of(status, message, null));
    }

    private void onUnexpected(Exception wrapper, Context ctx) {
        // An Error in a call computed by a worker arrives wrapped (Javalin unwraps only Exceptions): name the Error.
        Throwable e = wrapper instanceof CompletionException && wrapper.getCause() != null
                ? wrapper.getCause() : wrapper;
        RequestTags.exception(ctx, e);
        StackTraceElement[] trace = e.getStackTrace();
        // The class, the throwing line and our own first line locate the fault; the message may carry patient data,
        // so it stays out.
        StackTraceElement ours = java.util.Arrays.stream(trace).filter(f -> f.getClassName().startsWith("io.hypomag."))
                .findFirst().orElse(null);
        LOG.error("500 on {}: {} at {} via {}", knownServiceId(ctx), e.getClass().getName(), trace.length > 0 ? trace[0] : "?",
                ours == null ? "?" : ours);
        error(ctx, ErrorBody.of(500, "Internal server error", null));
    }

    private static void onError(HttpServletResponse response, Error error) {
        LOG.error("500: {}", error.getClass().getName());
        try {
            response.setStatus(500);
            response.setContentType(JSON_UTF8);
            response.getOutputStream().write(CdsJson.write(ErrorBody.of(500, "Internal server error", null)));
        } catch (IOException | RuntimeException ignored) {
            // The connection is already broken; nothing more to say.
        }
    }

    /** The id from the path only if it names one of our services: an arbitrary path segment is not logged. */
    private String knownServiceId(Context ctx) {
        String id = ctx.pathParamMap().get("id");
        return id != null && services.find(id).isPresent() ? id : "-";
    }

    private static String reasonPhrase(int status) {
        return switch (status) {
            case 400 -> "Bad request";
            case 405 -> "Method not allowed";
            case 413 -> "Request body too large";
            case 415 -> "Unsupported media type";
            default -> status >= 500 ? "Internal server error" : "Request failed";
        };
    }

    private static void error(Context ctx, ErrorBody body) {
        json(ctx, body.status(), CdsJson.write(body));
    }

    private static void json(Context ctx, int status, byte[] body) {
        ctx.status(status).contentType(JSON_UTF8).result(body);
    }

    /** The service's answer and its JSON, written in the call's turn on the cores. */
    private record Answer(CdsResponse response, byte[] json) {
    }
}
