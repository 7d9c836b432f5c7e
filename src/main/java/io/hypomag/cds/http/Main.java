package io.hypomag.cds.http;

import io.hypomag.cds.fhir.FhirJson;
import io.hypomag.cds.fhir.Terminology;
import io.hypomag.cds.hooks.CdsConfigurationException;
import io.hypomag.cds.hooks.HookHandlers;

import java.lang.management.ManagementFactory;
import java.time.Clock;

/** Starts the service: settings from the environment, the standard handlers, one line when listening. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        Settings settings;
        try {
            settings = Settings.fromEnvironment(System.getenv());
        } catch (SettingsException e) {
            System.err.println("hypomag-cds: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (settings.fhir().anyServer()) {
            // Loud on purpose: fhirServer comes from the caller, so without an allowlist the service will send
            // queries (and the caller's token) to whatever server a request names.
            System.err.println("hypomag-cds: WARNING: FHIR_SERVER_ALLOWLIST is not set: the service will fetch from"
                    + " ANY fhirServer a request names. Set it to your EHR's FHIR base URL(s) in production.");
        }
        FhirJson fhir = new FhirJson();
        fhir.warmUpInBackground();
        CdsHttpServer server;
        try {
            server = CdsHttpServer.create(settings, fhir, HookHandlers.standard(Clock.systemUTC(), settings.thresholds(),
                    Terminology.load()));
        } catch (CdsConfigurationException e) {
            System.err.println("hypomag-cds: " + e.getMessage());
            System.exit(1);
            return;
        }
        int port = server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "shutdown"));
        System.out.println("hypomag-cds listening on port " + port + ", started in "
                + ManagementFactory.getRuntimeMXBean().getUptime() + " ms");
    }
}
