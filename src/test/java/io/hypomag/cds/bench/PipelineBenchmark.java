package io.hypomag.cds.bench;

import io.hypomag.cds.assessment.Thresholds;
import io.hypomag.cds.fhir.FhirFetchSettings;
import io.hypomag.cds.fhir.FhirFetcher;
import io.hypomag.cds.fhir.FhirJson;
import io.hypomag.cds.fhir.Terminology;
import io.hypomag.cds.hooks.CdsJson;
import io.hypomag.cds.hooks.CdsRequestParser;
import io.hypomag.cds.hooks.CdsServiceCatalog;
import io.hypomag.cds.hooks.CdsServiceEndpoint;
import io.hypomag.cds.hooks.CdsServices;
import io.hypomag.cds.hooks.HookHandlers;
import io.hypomag.cds.hooks.PrefetchResolver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The in-process path of one request, without HTTP: parse the body and its prefetch → map → assess → cards → JSON,
 * per sample request. Run with bench/jmh.sh.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx256m"})
public class PipelineBenchmark {
    @Param({"ppi-low-mg.patient-view", "everything.patient-view", "normal.patient-view",
        "ppi-low-mg.order-select", "everything.order-sign", "high-mg-order.order-select-sandbox"})
    public String sample;

    private CdsServiceEndpoint endpoint;
    private String serviceId;
    private byte[] body;

    @Setup
    public void setUp() throws IOException {
        FhirJson fhir = new FhirJson();
        fhir.warmUp();
        Clock asOf = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);
        CdsServices services = CdsServices.bind(CdsServiceCatalog.fromClasspath(),
                HookHandlers.standard(asOf, Thresholds.defaults(), Terminology.load()));
        // Full prefetch: the resolver has nothing to fetch, as in the HTTP benchmark.
        FhirFetchSettings fetch = FhirFetchSettings.defaults();
        endpoint = new CdsServiceEndpoint(services, new CdsRequestParser(fhir),
                new PrefetchResolver(new FhirFetcher(fhir, fetch, asOf), fetch, asOf));
        body = Files.readAllBytes(Path.of("fhir-samples/requests/" + sample + ".json"));
        serviceId = "hypomagnesemia-" + sample.substring(sample.indexOf('.') + 1).replace("-sandbox", "");
    }

    @Benchmark
    public byte[] request() {
        return CdsJson.write(endpoint.call(serviceId, body));
    }
}
