package io.hypomag.cds.hooks;

import static io.hypomag.cds.hooks.TestRequests.PATIENT_VIEW;
import static io.hypomag.cds.hooks.TestRequests.bytes;
import static io.hypomag.cds.hooks.TestRequests.edit;
import static io.hypomag.cds.hooks.TestRequests.patientView;
import static io.hypomag.cds.hooks.TestRequests.prefetch;
import static io.hypomag.cds.hooks.TestRequests.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hypomag.cds.fhir.FhirJson;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrefetchReaderTest {
    private final CdsRequestParser parser = new CdsRequestParser(new FhirJson());

    @Test
    void conditionsOfThePrefetchReachThePatientData() {
        byte[] body = bytes(edit(patientView(), r -> prefetch(r).set("conditions", tree("""
                {"resourceType": "Bundle", "type": "searchset", "entry": [
                  {"resource": {"resourceType": "Condition", "id": "c1",
                    "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "F10.230"}]},
                    "subject": {"reference": "Patient/p1"}}, "search": {"mode": "match"}},
                  {"resource": {"resourceType": "Condition", "id": "c2",
                    "code": {"coding": [{"system": "http://snomed.info/sct", "code": "49436004"}]},
                    "subject": {"reference": "Patient/p1"}}, "search": {"mode": "match"}}]}
                """))));
        PrefetchReader.Gathered gathered = new PrefetchReader().read(parser.parse(body, PATIENT_VIEW), OrderScope.NONE);
        assertEquals(List.of("c1", "c2"),
                gathered.data().conditions().stream().map(c -> c.getIdElement().getIdPart()).toList());
    }

    @Test
    void anErrorInsideASearchsetIsAGapAndItsMatchesAreStillRead() {
        byte[] body = bytes(edit(patientView(), r -> prefetch(r).set("renal", tree("""
                {"resourceType": "Bundle", "type": "searchset", "entry": [
                  {"resource": {"resourceType": "Observation", "id": "o1", "status": "final",
                    "code": {"coding": [{"system": "http://loinc.org", "code": "98979-8"}]},
                    "subject": {"reference": "Patient/p1"}}, "search": {"mode": "match"}},
                  {"resource": {"resourceType": "OperationOutcome", "issue": [
                    {"severity": "error", "code": "too-costly", "diagnostics": "only the first page was searched"},
                    {"severity": "information", "code": "informational", "diagnostics": "fine"}]},
                   "search": {"mode": "outcome"}}]}
                """))));
        PrefetchReader.Gathered gathered = new PrefetchReader().read(parser.parse(body, PATIENT_VIEW), OrderScope.NONE);
        assertEquals(1, gathered.data().observations().stream()
                .filter(o -> "98979-8".equals(o.getCode().getCodingFirstRep().getCode())).count());
        assertEquals(List.of("prefetch key renal: the results may be incomplete: only the first page was searched"),
                gathered.gaps().stream().filter(g -> g.what().endsWith("renal"))
                        .map(g -> g.what() + ": " + g.reason()).toList(), "errors only, not the information issue");
    }
}
