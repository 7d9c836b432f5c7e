package io.hypomag.cds.hapi;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.provider.ResourceProviderFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.hl7.fhir.r4.model.Bundle;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

/**
 * A real HAPI FHIR JPA server (H2 in memory) on loopback, holding every fhir-samples patient. Started once per test
 * JVM, on first use: the Spring context costs about ten seconds, so all integration tests share it. The JVM's exit
 * stops it.
 *
 * <p>{@code -Dhapi.delayMs=N} (benchmarks only) makes it answer every request N ms late, as a server across a
 * network would.
 */
public final class EmbeddedHapi {
    private static final class Holder {
        static final EmbeddedHapi INSTANCE = start();
    }

    private final String baseUrl;
    private final long startMillis;

    private EmbeddedHapi(String baseUrl, long startMillis) {
        this.baseUrl = baseUrl;
        this.startMillis = startMillis;
    }

    public static EmbeddedHapi get() {
        return Holder.INSTANCE;
    }

    /** e.g. http://127.0.0.1:41234/fhir */
    public String baseUrl() {
        return baseUrl;
    }

    /** How long start and loading took, for the report. */
    public long startMillis() {
        return startMillis;
    }

    private static EmbeddedHapi start() {
        long t0 = System.nanoTime();
        try {
            AnnotationConfigApplicationContext spring = new AnnotationConfigApplicationContext(HapiJpaTestConfig.class);
            FhirContext ctx = spring.getBean(FhirContext.class);
            RestfulServer rest = new RestfulServer(ctx);
            rest.registerProviders(spring.getBean("myResourceProvidersR4", ResourceProviderFactory.class).createProviders());
            rest.registerProvider(spring.getBean("mySystemProviderR4"));
            rest.setPagingProvider(spring.getBean(DatabaseBackedPagingProvider.class));
            Server jetty = new Server();
            ServerConnector connector = new ServerConnector(jetty);
            connector.setHost("127.0.0.1");
            connector.setPort(0);
            jetty.addConnector(connector);
            ServletContextHandler handler = new ServletContextHandler();
            handler.addServlet(new ServletHolder(rest), "/fhir/*");
            long delayMs = Long.getLong("hapi.delayMs", 0);
            jetty.setHandler(delayMs <= 0 ? handler : new Handler.Wrapper(handler) {
                @Override
                public boolean handle(Request request, Response response, Callback callback) throws Exception {
                    Thread.sleep(delayMs);
                    return super.handle(request, response, callback);
                }
            });
            jetty.start();
            String base = "http://127.0.0.1:" + connector.getLocalPort() + "/fhir";
            load(ctx, base);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    jetty.stop();
                } catch (Exception ignored) {
                    // the JVM is exiting
                }
                spring.close();
            }, "hapi-stop"));
            return new EmbeddedHapi(base, (System.nanoTime() - t0) / 1_000_000);
        } catch (Exception e) {
            throw new IllegalStateException("embedded HAPI FHIR server did not start", e);
        }
    }

    /** Posts every fhir-samples/patients bundle as a transaction (PUTs with stable ids). */
    private static void load(FhirContext ctx, String base) {
        ctx.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        IGenericClient client = ctx.newRestfulGenericClient(base);
        for (Path file : patientFiles()) {
            try {
                Bundle transaction = ctx.newJsonParser().parseResource(Bundle.class, Files.readString(file));
                client.transaction().withBundle(transaction).execute();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public static List<Path> patientFiles() {
        try (Stream<Path> files = Files.list(Path.of("fhir-samples/patients"))) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
