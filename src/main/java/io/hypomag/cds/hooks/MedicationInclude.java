package io.hypomag.cds.hooks;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The service's own searches for statements and orders ask for their Medications in the same answer
 * ({@code _include=MedicationStatement:medication}): an EHR that names drugs by {@code medicationReference} would
 * otherwise cost a second round trip per request. {@link ReferencedMedications} still reads what is missing, so a
 * server that ignores the parameter loses nothing; one that refuses it (400) costs one extra query, once (see
 * {@link PrefetchResolver}). Only for fetching: a prefetch template keeps to the query subset the CDS Hooks spec
 * asks of templates, which has no {@code _include}.
 */
final class MedicationInclude {
    private static final Pattern SEARCH = Pattern.compile("^(MedicationStatement|MedicationRequest)\\?.*");
    private static final Pattern HAS_INCLUDE = Pattern.compile("[?&]_include(:[a-z]+)?=");

    private MedicationInclude() {
    }

    /** The search with the include added; empty for any other query, or one that already names its includes. */
    static Optional<String> added(String url) {
        Matcher search = SEARCH.matcher(url);
        if (!search.matches() || HAS_INCLUDE.matcher(url).find()) {
            return Optional.empty();
        }
        String separator = url.endsWith("?") || url.endsWith("&") ? "" : "&";
        return Optional.of(url + separator + "_include=" + search.group(1) + ":medication");
    }
}
