package io.hypomag.cds.http;

import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/** Reading /metrics in tests: one series' value, and scraping again until the counts of the last calls are in. */
final class Scrapes {
    private Scrapes() {
    }

    /** The value of the series written exactly so ({@code name{tag="v",...}}, tags sorted by name); 0 when absent. */
    static double value(String scrape, String series) {
        for (String line : scrape.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return 0;
    }

    /**
     * Javalin measures a request after its answer is written, so a client can read the answer before it is counted:
     * scrape again until {@code done}, for at most 5 s, and return the last scrape.
     */
    static String until(HttpTestClient http, Predicate<String> done, String... headers) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        String scrape = http.get("/metrics", headers).body();
        while (!done.test(scrape) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(20_000_000);
            scrape = http.get("/metrics", headers).body();
        }
        return scrape;
    }
}
