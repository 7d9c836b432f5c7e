package io.hypomag.cds.hooks;

import io.hypomag.cds.assessment.DoseRange;
import io.hypomag.cds.assessment.Regimen;
import io.hypomag.cds.assessment.RegimenKind;
import io.hypomag.cds.assessment.Workup;
import io.hypomag.cds.fhir.FhirJson;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Dosage;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Range;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.SimpleQuantity;
import org.hl7.fhir.r4.model.Timing;

/**
 * The FHIR R4 resources behind a card's create actions: a MedicationRequest for a regimen or an alternative drug,
 * a ServiceRequest for a test. Built with HAPI's model so they are valid R4, then turned into the JSON tree an
 * action carries.
 */
final class SuggestedOrders {
    static final String RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";
    static final String SNOMED = "http://snomed.info/sct";
    static final String UCUM = "http://unitsofmeasure.org";
    /** RxNorm ingredient magnesium sulfate (terminology/drugs.csv, RXI). */
    static final Coding MAGNESIUM_SULFATE = new Coding(RXNORM, "6585", "magnesium sulfate");
    /** RxNorm SCDs of the magnesium-sparing diuretics (terminology/drugs.csv, CANVAS and RXI). */
    static final Coding AMILORIDE = new Coding(RXNORM, "977880", "amiloride hydrochloride 5 MG Oral Tablet");
    static final Coding TRIAMTERENE = new Coding(RXNORM, "198313", "triamterene 50 MG Oral Capsule");
    private static final Coding INTRAVENOUS = new Coding(SNOMED, "47625008", "Intravenous route");
    private static final Coding ORAL = new Coding(SNOMED, "26643006", "Oral route");

    private final FhirJson fhir;
    private final OrderCatalog catalog;
    private final Clock clock;

    SuggestedOrders(FhirJson fhir, OrderCatalog catalog, Clock clock) {
        this.fhir = fhir;
        this.catalog = catalog;
        this.clock = clock;
    }

    /** A draft MedicationRequest for one replacement regimen. */
    JsonNode regimen(Regimen regimen, String patientId) {
        MedicationRequest request = draft(patientId);
        Dosage dosage = request.addDosageInstruction().setText(regimen.instruction());
        if (regimen.kind() == RegimenKind.ORAL_OUTPATIENT) {
            request.setMedication(new CodeableConcept().setText("magnesium chloride sustained-release tablet"
                    + " (64–71.5 mg elemental magnesium) or magnesium L-lactate (84 mg elemental magnesium)"));
            dosage.setRoute(concept(ORAL));
        } else {
            request.setMedication(concept(MAGNESIUM_SULFATE).setText("magnesium sulfate IV"));
            dosage.setRoute(concept(INTRAVENOUS));
            regimen.dose().ifPresent(dose -> dosage.addDoseAndRate().setDose(grams(dose)));
            infusionTime(regimen.kind()).ifPresent(dosage::setTiming);
        }
        return tree(request);
    }

    /** A draft MedicationRequest for a potassium- and magnesium-sparing diuretic (MG-CAUSE-TREAT). */
    JsonNode sparingDiuretic(Coding drug, String patientId) {
        MedicationRequest request = draft(patientId).setMedication(concept(drug));
        request.addDosageInstruction().setText("Once daily by mouth, adjusted to potassium and kidney function;"
                + " added to the diuretic that cannot be stopped.").setRoute(concept(ORAL));
        return tree(request);
    }

    /** A draft ServiceRequest for a test; the serum magnesium recheck is timed after replacement (MG-RECHECK). */
    JsonNode test(Workup workup, String patientId, Duration after) {
        OrderCatalog.OrderCode code = catalog.code(workup);
        ServiceRequest request = new ServiceRequest()
                .setStatus(ServiceRequest.ServiceRequestStatus.DRAFT)
                .setIntent(ServiceRequest.ServiceRequestIntent.ORDER)
                .setCode(new CodeableConcept(new Coding(code.system(), code.code(), code.display()))
                        .setText(workup.label()))
                .setSubject(new Reference("Patient/" + patientId));
        if (!after.isZero()) {
            request.setOccurrence(new DateTimeType(Date.from(clock.instant().plus(after))));
        }
        return tree(request);
    }

    private MedicationRequest draft(String patientId) {
        return new MedicationRequest()
                .setStatus(MedicationRequest.MedicationRequestStatus.DRAFT)
                .setIntent(MedicationRequest.MedicationRequestIntent.ORDER)
                .setSubject(new Reference("Patient/" + patientId));
    }

    private static java.util.Optional<Timing> infusionTime(RegimenKind kind) {
        Timing timing = new Timing();
        Timing.TimingRepeatComponent repeat = timing.getRepeat().setCount(1);
        switch (kind) {
            case IV_UNSTABLE -> repeat.setDuration(15).setDurationUnit(Timing.UnitsOfTime.MIN);
            case IV_SEVERE -> repeat.setDuration(1).setDurationUnit(Timing.UnitsOfTime.H);
            case IV_NON_EMERGENT -> repeat.setDuration(12).setDurationMax(24).setDurationUnit(Timing.UnitsOfTime.H);
            default -> {
                return java.util.Optional.empty();
            }
        }
        return java.util.Optional.of(timing);
    }

    private static Range grams(DoseRange dose) {
        return new Range().setLow(gram(dose.lowGrams())).setHigh(gram(dose.highGrams()));
    }

    private static SimpleQuantity gram(BigDecimal value) {
        SimpleQuantity quantity = new SimpleQuantity();
        quantity.setValue(value.stripTrailingZeros()).setUnit("g").setSystem(UCUM).setCode("g");
        return quantity;
    }

    private static CodeableConcept concept(Coding coding) {
        return new CodeableConcept(coding.copy());
    }

    private JsonNode tree(org.hl7.fhir.r4.model.Resource resource) {
        return CdsJson.fhirTree(fhir, resource);
    }
}
