package io.hypomag.cds.hooks;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills a prefetch template from the hook context with the CDS Hooks 2.0 tokens only: {@code {{context.patientId}}},
 * {@code {{context.encounterId}}}, {@code {{context.userId}}} and the four {@code {{user…Id}}} tokens. Values must be
 * FHIR ids (or, for userId, a Type/id reference), which contain no URL-reserved characters: a value that could
 * change the query's path or parameters is never pasted in.
 */
final class PrefetchTemplate {
    private static final Pattern TOKEN = Pattern.compile("\\{\\{\\s*([^{}]*?)\\s*}}");
    private static final Pattern FHIR_ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");
    private static final Pattern USER_REFERENCE =
            Pattern.compile("(Practitioner|PractitionerRole|Patient|RelatedPerson)/([A-Za-z0-9\\-.]{1,64})");

    /** What filling a template gave. */
    sealed interface Rendered permits Query, NotApplicable, Unfillable {
    }

    /** A query relative to the FHIR server's base. */
    record Query(String url) implements Rendered {
        Query {
            Objects.requireNonNull(url);
        }
    }

    /** The context has no value for a token (no encounterId, a user who is not a Practitioner): no such data. */
    record NotApplicable() implements Rendered {
    }

    /** A value that is not a FHIR id, or a token CDS Hooks 2.0 does not define: the query cannot be made. */
    record Unfillable(String reason) implements Rendered {
        Unfillable {
            Objects.requireNonNull(reason);
        }
    }

    private PrefetchTemplate() {
    }

    static Rendered render(String template, HookContext context) {
        Matcher token = TOKEN.matcher(template);
        StringBuilder url = new StringBuilder();
        while (token.find()) {
            String name = token.group(1);
            Optional<String> value;
            switch (name) {
                case "context.patientId" -> value = Optional.of(context.patientId());
                case "context.encounterId" -> value = context.encounterId();
                case "context.userId" -> {
                    if (context.userId().isPresent() && !USER_REFERENCE.matcher(context.userId().get()).matches()) {
                        return new Unfillable("context.userId is not a Type/id reference");
                    }
                    value = context.userId();
                }
                case "userPractitionerId" -> value = userId(context, "Practitioner");
                case "userPractitionerRoleId" -> value = userId(context, "PractitionerRole");
                case "userPatientId" -> value = userId(context, "Patient");
                case "userRelatedPersonId" -> value = userId(context, "RelatedPerson");
                default -> {
                    return new Unfillable("the template uses a token CDS Hooks 2.0 does not define");
                }
            }
            if (value.isEmpty()) {
                return new NotApplicable();
            }
            if (!name.equals("context.userId") && !FHIR_ID.matcher(value.get()).matches()) {
                return new Unfillable(name.replace("context.", "") + " is not a FHIR id");
            }
            token.appendReplacement(url, Matcher.quoteReplacement(value.get()));
        }
        token.appendTail(url);
        return new Query(url.toString());
    }

    /** The id part of context.userId when the user is of that type, e.g. "abc" of "Practitioner/abc". */
    private static Optional<String> userId(HookContext context, String type) {
        return context.userId()
                .map(USER_REFERENCE::matcher)
                .filter(Matcher::matches)
                .filter(m -> m.group(1).equals(type))
                .map(m -> m.group(2));
    }
}
