package io.hypomag.cds.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hypomag.cds.assessment.Thresholds;
import io.hypomag.cds.fhir.FhirJson;
import io.hypomag.cds.fhir.Terminology;
import io.hypomag.cds.hooks.HookHandlers;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Random;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * No noise: generated patients with a recent normal magnesium and normal kidneys get no card from any hook, whatever
 * causative drugs they take or are about to be prescribed, in whatever unit the laboratory reports.
 */
class NormalPatientsTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";
    /** Causative products from terminology/drugs.csv (PPI, loop, thiazide, digoxin, aminoglycoside, cisplatin). */
    private static final List<String[]> CAUSATIVE = List.of(
            new String[] {"207212", "omeprazole 20 MG Delayed Release Oral Capsule [Prilosec]"},
            new String[] {"313988", "furosemide 40 MG Oral Tablet"},
            new String[] {"310798", "hydrochlorothiazide 25 MG Oral Tablet"},
            new String[] {"197604", "digoxin 0.125 MG Oral Tablet"},
            new String[] {"313996", "gentamicin 40 MG/ML Injectable Solution"},
            new String[] {"309311", "cisplatin 1 MG/ML Injectable Solution"},
            new String[] {"1658259", "50 ML magnesium sulfate 40 MG/ML Injection"});
    /** Normal bands per unit, from the spec's MG-LEVEL table (mEq/L = 2 × mmol/L; mg/L = 10 × mg/dL). */
    private static final List<Object[]> BANDS = List.of(
            new Object[] {"19123-9", "mg/dL", 1.46, 2.68},
            new Object[] {"19123-9", "mg/L", 14.6, 26.8},
            new Object[] {"2601-3", "mmol/L", 0.60, 1.10},
            new Object[] {"2601-3", "meq/L", 1.20, 2.20});
    private static final int PATIENTS = 150;

    private static CdsHttpServer server;
    private static HttpTestClient client;
    private final FhirJson fhir = new FhirJson();

    @BeforeAll
    static void start() {
        FhirJson fhir = new FhirJson();
        server = CdsHttpServer.create(Settings.anyOrigin(0), fhir, HookHandlers.standard(
                Clock.fixed(NOW, ZoneOffset.UTC), Thresholds.defaults(), Terminology.load()));
        client = new HttpTestClient(server.start());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void noNormalPatientGetsACard() throws Exception {
        Random random = new Random(20261125);
        int requests = 0;
        for (int i = 0; i < PATIENTS; i++) {
            String id = "normal-" + i;
            ObjectNode prefetch = prefetch(id, random);
            for (String hook : List.of("patient-view", "order-select", "order-sign")) {
                ObjectNode request = JSON.createObjectNode().put("hook", hook)
                        .put("hookInstance", "00000000-0000-4000-8000-" + String.format("%012d", i));
                ObjectNode context = request.putObject("context").put("patientId", id)
                        .put("userId", "Practitioner/p");
                if (!hook.equals("patient-view")) {
                    String[] drug = CAUSATIVE.get(random.nextInt(CAUSATIVE.size()));
                    context.set("draftOrders", tree(draftOrders(id, drug)));
                    if (hook.equals("order-select")) {
                        context.putArray("selections").add("MedicationRequest/" + id + "-draft");
                    }
                }
                request.set("prefetch", prefetch);
                HttpResponse<String> response = client.post("/cds-services/hypomagnesemia-" + hook,
                        "application/json", request.toString());
                assertEquals(200, response.statusCode(), response.body());
                JsonNode cards = JSON.readTree(response.body()).path("cards");
                assertEquals(0, cards.size(), id + " " + hook + " got " + cards + "\nprefetch " + prefetch);
                requests++;
            }
        }
        assertEquals(PATIENTS * 3, requests);
    }

    private ObjectNode prefetch(String id, Random random) {
        ObjectNode prefetch = JSON.createObjectNode();
        Patient patient = new Patient();
        patient.setId(id);
        patient.setBirthDate(Date.from(LocalDate.of(1930 + random.nextInt(75), 1 + random.nextInt(12), 1)
                .atStartOfDay().toInstant(ZoneOffset.UTC)));
        patient.setGender(random.nextBoolean() ? Enumerations.AdministrativeGender.FEMALE
                : Enumerations.AdministrativeGender.MALE);
        prefetch.set("patient", tree(patient));

        Object[] band = BANDS.get(random.nextInt(BANDS.size()));
        Bundle magnesium = searchset();
        int results = 1 + random.nextInt(3);
        for (int r = 0; r < results; r++) {
            double value = (double) band[2] + random.nextDouble() * ((double) band[3] - (double) band[2]);
            long daysAgo = r == 0 ? random.nextInt(30) : 30 + random.nextInt(300);
            magnesium.addEntry().setResource(observation(id + "-mg-" + r, "http://loinc.org", (String) band[0],
                    round(value, 2), (String) band[1], daysAgo));
        }
        prefetch.set("magnesium", tree(magnesium));

        Bundle electrolytes = searchset();
        electrolytes.addEntry().setResource(observation(id + "-k", "http://loinc.org", "2823-3",
                round(3.5 + random.nextDouble() * 1.5, 1), "mmol/L", random.nextInt(10)));
        electrolytes.addEntry().setResource(observation(id + "-ca", "http://loinc.org", "17861-6",
                round(8.5 + random.nextDouble() * 1.7, 1), "mg/dL", random.nextInt(10)));
        prefetch.set("electrolytes", tree(electrolytes));

        Bundle renal = searchset();
        renal.addEntry().setResource(observation(id + "-egfr", "http://loinc.org", "98979-8",
                BigDecimal.valueOf(30 + random.nextInt(90)), "mL/min/{1.73_m2}", random.nextInt(20)));
        prefetch.set("renal", tree(renal));

        Bundle statements = searchset();
        for (int m = 0; m < random.nextInt(4); m++) {
            String[] drug = CAUSATIVE.get(random.nextInt(CAUSATIVE.size() - 1));
            MedicationStatement statement = new MedicationStatement()
                    .setStatus(MedicationStatement.MedicationStatementStatus.ACTIVE)
                    .setMedication(new CodeableConcept(new Coding(RXNORM, drug[0], drug[1])))
                    .setSubject(new Reference("Patient/" + id))
                    .setEffective(new Period().setStart(Date.from(NOW.minus(Duration.ofDays(10 + random.nextInt(2000))))));
            statement.setId(id + "-ms-" + m);
            statements.addEntry().setResource(statement);
        }
        prefetch.set("medicationStatements", tree(statements));
        for (String empty : List.of("urine", "weight", "ecg", "medicationRequests", "conditions")) {
            prefetch.set(empty, tree(searchset()));
        }
        prefetch.putNull("encounter");
        return prefetch;
    }

    private static Bundle draftOrders(String id, String[] drug) {
        MedicationRequest draft = new MedicationRequest().setStatus(MedicationRequest.MedicationRequestStatus.DRAFT)
                .setIntent(MedicationRequest.MedicationRequestIntent.ORDER)
                .setMedication(new CodeableConcept(new Coding(RXNORM, drug[0], drug[1])))
                .setSubject(new Reference("Patient/" + id));
        draft.setId(id + "-draft");
        Bundle bundle = new Bundle();
        bundle.addEntry().setResource(draft);
        return bundle;
    }

    private static Observation observation(String id, String system, String code, BigDecimal value, String unit,
            long daysAgo) {
        Observation o = new Observation().setStatus(Observation.ObservationStatus.FINAL)
                .setCode(new CodeableConcept(new Coding(system, code, null)))
                .setEffective(new DateTimeType(Date.from(NOW.minus(Duration.ofDays(daysAgo)))))
                .setValue(new Quantity().setValue(value).setUnit(unit).setSystem("http://unitsofmeasure.org")
                        .setCode(unit));
        o.setId(id);
        return o;
    }

    private static Bundle searchset() {
        return new Bundle().setType(Bundle.BundleType.SEARCHSET);
    }

    private static BigDecimal round(double value, int scale) {
        return BigDecimal.valueOf(value).setScale(scale, RoundingMode.HALF_UP);
    }

    private JsonNode tree(Resource resource) {
        try {
            return JSON.readTree(fhir.encode(resource));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
