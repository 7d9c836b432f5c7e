package io.hypomag.cds.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PrefetchTemplateTest {
    private static HookContext context(String patientId, String userId, String encounterId) {
        return new HookContext(patientId, Optional.ofNullable(userId), Optional.ofNullable(encounterId), List.of(),
                Optional.empty());
    }

    private static final HookContext CONTEXT = context("p-1", "Practitioner/doc-1", null);

    @Test
    void fillsContextTokens() {
        assertEquals(new PrefetchTemplate.Query("Observation?patient=p-1&_count=1"),
                PrefetchTemplate.render("Observation?patient={{context.patientId}}&_count=1", CONTEXT));
        assertEquals(new PrefetchTemplate.Query("Practitioner/doc-1"),
                PrefetchTemplate.render("{{context.userId}}", CONTEXT));
    }

    @Test
    void fillsUserTokensOnlyForTheirType() {
        assertEquals(new PrefetchTemplate.Query("Practitioner/doc-1"),
                PrefetchTemplate.render("Practitioner/{{userPractitionerId}}", CONTEXT));
        assertEquals(new PrefetchTemplate.NotApplicable(),
                PrefetchTemplate.render("PractitionerRole/{{userPractitionerRoleId}}", CONTEXT));
    }

    @Test
    void aTokenWithoutValueIsNotApplicable() {
        assertEquals(new PrefetchTemplate.NotApplicable(),
                PrefetchTemplate.render("Encounter/{{context.encounterId}}", CONTEXT));
    }

    @Test
    void valuesThatCouldChangeTheQueryAreRefused() {
        assertEquals(PrefetchTemplate.Unfillable.class, PrefetchTemplate.render("Patient/{{context.patientId}}",
                context("p-1&code=x", null, null)).getClass());
        assertEquals(PrefetchTemplate.Unfillable.class, PrefetchTemplate.render("Patient/{{context.patientId}}",
                context("../metadata", null, null)).getClass());
    }

    @Test
    void tokensOutsideCdsHooks2AreRefused() {
        assertEquals(PrefetchTemplate.Unfillable.class,
                PrefetchTemplate.render("Patient/{{Patient.id}}", CONTEXT).getClass());
        assertEquals(PrefetchTemplate.Unfillable.class,
                PrefetchTemplate.render("Observation?date=gt{{today()}}", CONTEXT).getClass());
    }
}
