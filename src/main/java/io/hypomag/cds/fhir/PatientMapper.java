package io.hypomag.cds.fhir;

import io.hypomag.cds.assessment.Demographics;
import io.hypomag.cds.assessment.Sex;
import java.time.LocalDate;
import java.util.Optional;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Patient;

/** Patient → birth date and sex, which age (pediatric dosing) and CKD-EPI need. */
public final class PatientMapper {

    public Demographics map(Patient patient) {
        return new Demographics(birthDate(patient), sex(patient.getGender()));
    }

    /**
     * Read from the text, not {@code getBirthDate()}, which is a java.util.Date at the JVM's time zone. A
     * partial date ("1950", "1950-03") is taken at its first day: age is then at most a year too high, which
     * the card can live with; dropping the date would lose the age altogether.
     */
    private static Optional<LocalDate> birthDate(Patient patient) {
        if (!patient.hasBirthDateElement() || patient.getBirthDateElement().getValueAsString() == null) {
            return Optional.empty();
        }
        String text = patient.getBirthDateElement().getValueAsString();
        try {
            String[] parts = text.split("-");
            int year = Integer.parseInt(parts[0]);
            int month = parts.length > 1 ? Integer.parseInt(parts[1]) : 1;
            int day = parts.length > 2 ? Integer.parseInt(parts[2].substring(0, 2)) : 1;
            return Optional.of(LocalDate.of(year, month, day));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Only male and female feed CKD-EPI; other and unknown say nothing about it. */
    private static Sex sex(AdministrativeGender gender) {
        if (gender == null) {
            return Sex.UNKNOWN;
        }
        return switch (gender) {
            case MALE -> Sex.MALE;
            case FEMALE -> Sex.FEMALE;
            default -> Sex.UNKNOWN;
        };
    }
}
