#!/usr/bin/env python3
"""Synthetic FHIR R4 patients and CDS Hooks 2.0 requests for hypomag-cds.

Run from anywhere:  python3 fhir-samples/generate.py

Writes, next to this script (and nothing else):
  patients/<slug>.json          one FHIR R4 transaction Bundle per patient (PUT, stable ids)
  requests/<slug>.<hook>.json   ready CDS Hooks 2.0 requests with a FULL prefetch
  expected.json                 the cards each request must produce (read by the tests)

Everything is deterministic: no randomness and no wall clock. The clock of the data is AS_OF
(2026-11-25T12:00:00Z); every date is fixed and never later than AS_OF. hookInstance values are
UUIDv5 of the request file name, so they never change between runs.

Prefetch values are computed by evaluating each prefetch template of ../cds-services.json
against the patient's own resources (see evaluate_template), so a request carries exactly what
that query would return from the patient bundle: reads give the resource (or null when the
token cannot be resolved, e.g. no encounterId), searches give searchset Bundles sorted and
limited as the template says. Condition searches filter on clinical-status (comma = OR over
Condition.clinicalStatus codes), so a resolved condition is in the patient bundle but never in a prefetch.

Codes: LOINC and RxNorm codes and their display names come only from
/work/shared/terminology.md (copied into LOINC and RXNORM below; validate() cross-checks them
against that file when it is present). Condition codes (ICD-10-CM and SNOMED CT) come only from its
conditions table (CONDITIONS below; validate() checks ICD-10-CM codes against its prefixes and SNOMED CT
codes with their names). All patients, names and identifiers are synthetic and
every resource carries the HL7 "HTEST" (test health data) security tag.

Dialects: a few patients are shaped like Epic's and Oracle Health (Cerner) Millennium's FHIR R4 answers (local
codings beside the standard ones, their categories, extensions and search-answer habits), and a few carry the odd
record shapes of issue 15 (item 6). DIALECTS.md lists each with its source and expected card.
"""

import json
import re
import sys
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import parse_qsl

HERE = Path(__file__).resolve().parent
SERVICES_FILE = HERE.parent / "cds-services.json"
TERMINOLOGY_FILE = Path("/work/shared/terminology.md")  # optional cross-check only

AS_OF = "2026-11-25T12:00:00Z"
AS_OF_DT = datetime(2026, 11, 25, 12, 0, 0, tzinfo=timezone.utc)
FHIR_SERVER = "http://localhost:8081/fhir"
USER_ID = "Practitioner/hm-doc-1"
HOOK_INSTANCE_NS = uuid.UUID("6f1c9a52-3b7e-4d0a-9c41-5e2a7b8d0f13")  # fixed namespace for uuid5

LOINC_SYS = "http://loinc.org"
UCUM_SYS = "http://unitsofmeasure.org"
RXNORM_SYS = "http://www.nlm.nih.gov/research/umls/rxnorm"
SNOMED_SYS = "http://snomed.info/sct"
OBS_CATEGORY_SYS = "http://terminology.hl7.org/CodeSystem/observation-category"
MR_CATEGORY_SYS = "http://terminology.hl7.org/CodeSystem/medicationrequest-category"
ACT_CODE_SYS = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
ACT_REASON_SYS = "http://terminology.hl7.org/CodeSystem/v3-ActReason"
MRN_SYS = "https://hypomag-cds.example.org/fhir/sid/synthetic-mrn"

ID_RE = re.compile(r"^[A-Za-z0-9-]{1,64}$")

# --- Terminology (subset of /work/shared/terminology.md, names exactly as written there) -------

LOINC = {
    # serum/plasma magnesium
    "19123-9": "Magnesium [Mass/volume] in Serum or Plasma",
    "2601-3": "Magnesium [Moles/volume] in Serum or Plasma",
    # urine (MG-FEMG)
    "2598-1": "Magnesium [Moles/volume] in Urine",
    "14683-7": "Creatinine [Moles/volume] in Urine",
    # co-electrolytes
    "2823-3": "Potassium [Moles/volume] in Serum or Plasma",
    "17861-6": "Calcium [Mass/volume] in Serum or Plasma (total)",
    "2000-8": "Calcium [Moles/volume] in Serum or Plasma (total, not ionized)",
    "1995-0": "Calcium.ionized [Moles/volume] in Serum or Plasma",
    "2777-1": "Phosphate [Mass/volume] in Serum or Plasma",
    # renal
    "2160-0": "Creatinine [Mass/volume] in Serum or Plasma",
    "14682-9": "Creatinine [Moles/volume] in Serum or Plasma",
    "98979-8": "eGFR, creatinine, CKD-EPI 2021 (race-free)",
    # vital signs
    "29463-7": "Body weight",
    "3141-9": "Body weight Measured",
    # glucose (MG-EVAL basic metabolic panel) and ECG (MG-CARDIO-CONSULT)
    "2345-7": "Glucose [Mass/volume] in Serum or Plasma",
    "8636-3": "Q-T interval corrected (formula unspecified)",
}

# Short lab names used as Observation.code.text (what a lab report prints).
LOINC_TEXT = {
    "19123-9": "Magnesium", "2601-3": "Magnesium", "2598-1": "Magnesium, urine",
    "14683-7": "Creatinine, urine", "2823-3": "Potassium", "17861-6": "Calcium",
    "2000-8": "Calcium", "1995-0": "Ionized calcium", "2777-1": "Phosphate",
    "2160-0": "Creatinine", "14682-9": "Creatinine", "98979-8": "eGFR (CKD-EPI 2021)",
    "29463-7": "Body weight", "3141-9": "Body weight", "2345-7": "Glucose", "8636-3": "QTc interval",
}

VITAL_SIGNS = {"29463-7", "3141-9"}
ECG = {"8636-3"}  # an ECG measurement: Observation.category "procedure"

RXNORM = {
    "207212": "omeprazole 20 MG Delayed Release Oral Capsule [Prilosec]",
    "606730": "esomeprazole 40 MG Delayed Release Oral Capsule",
    "314200": "pantoprazole 40 MG Delayed Release Oral Tablet",
    "310429": "furosemide 20 MG Oral Tablet",
    "313988": "furosemide 40 MG Oral Tablet",
    "197732": "furosemide 80 MG Oral Tablet",
    "197418": "bumetanide 1 MG Oral Tablet",
    "310798": "hydrochlorothiazide 25 MG Oral Tablet",
    "429503": "hydrochlorothiazide 12.5 MG Oral Tablet",
    "197499": "chlorthalidone 25 MG Oral Tablet",
    "197604": "digoxin 0.125 MG Oral Tablet",
    "313996": "gentamicin 40 MG/ML Injectable Solution",
    "310467": "gentamicin 3 MG/ML Ophthalmic Solution",
    "309311": "cisplatin 1 MG/ML Injectable Solution",
    "1658259": "50 ML magnesium sulfate 40 MG/ML Injection",
    "198741": "magnesium oxide 400 MG Oral Tablet",
    "198051": "omeprazole 20 MG Delayed Release Oral Capsule",
}

# RxNorm ingredient (IN) codes, as EHRs send them next to a product code, often without a display
# (terminology.md, "RxNorm and ATC" ingredient table; validate() checks them against it).
RXNORM_INGREDIENTS = {
    "7646": "omeprazole",
    "4603": "furosemide",
    "5487": "hydrochlorothiazide",
}

# SNOMED CT routes (given by the brief; terminology.md has no route table).
ROUTES = {
    "oral": ("26643006", "Oral route"),
    "iv": ("47625008", "Intravenous route"),
    "ophthalmic": ("54485002", "Ophthalmic route"),
}

# SNOMED CT condition used as a draft order's reason (terminology.md, conditions table).
HYPOMAGNESEMIA_SCT = ("190855004", "Hypomagnesemia")

# UCUM code -> human unit string printed in Observation.valueQuantity.unit
UNITS = {
    "mg/dL": "mg/dL",
    "mg/L": "mg/L",
    "mmol/L": "mmol/L",
    "meq/L": "meq/L",
    "umol/L": "µmol/L",
    "mL/min/{1.73_m2}": "mL/min/1.73m2",
    "kg": "kg",
    "ms": "ms",
}

# Conditions (terminology.md, "Conditions" table). ICD-10-CM codes are children of the prefixes listed there
# (terminology.md gives prefixes and no titles, so ICD-10-CM codings carry no display; Condition.code.text says
# what the problem list shows). SNOMED CT codes are used only with the name terminology.md writes for them.
ICD10CM_SYS = "http://hl7.org/fhir/sid/icd-10-cm"
CONDITION_CLINICAL_SYS = "http://terminology.hl7.org/CodeSystem/condition-clinical"
CONDITION_VER_SYS = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
CONDITION_CATEGORY_SYS = "http://terminology.hl7.org/CodeSystem/condition-category"
CONDITIONS = {
    # key: (ICD-10-CM code or None, SNOMED CT (code, name) or None, Condition.code.text)
    "atrial-fibrillation": ("I48.91", ("49436004", "Atrial fibrillation"), "Atrial fibrillation"),
    "alcohol-use-disorder": ("F10.20", ("66590003", "Alcohol dependence"),
                             "Alcohol use disorder, moderate"),
    "alcohol-use-disorder-icd": ("F10.20", None, "Alcohol use disorder, moderate"),
    "gitelman": (None, ("707756004", "Gitelman syndrome"), "Gitelman syndrome"),
    "bartter": ("E26.81", ("707742001", "Bartter syndrome"), "Bartter syndrome"),
    "dka-type1": ("E10.10", None, "Type 1 diabetes with diabetic ketoacidosis"),
    "ckd5": ("N18.5", None, "Chronic kidney disease, stage 5"),
}
CONDITION_CATEGORIES = {"problem-list-item": "Problem List Item",
                        "encounter-diagnosis": "Encounter Diagnosis"}
CLINICAL_STATUS = {"active": "Active", "recurrence": "Recurrence", "relapse": "Relapse",
                   "inactive": "Inactive", "remission": "Remission", "resolved": "Resolved"}

HTEST_TAG = {"system": ACT_REASON_SYS, "code": "HTEST", "display": "test health data"}


# --- Date helpers ------------------------------------------------------------------------------

def days_before(days, hhmm):
    """ISO instant `days` calendar days before AS_OF's date, at hh:mm UTC (never after AS_OF)."""
    d = AS_OF_DT.date() - timedelta(days=days)
    hh, mm = (int(x) for x in hhmm.split(":"))
    when = datetime(d.year, d.month, d.day, hh, mm, tzinfo=timezone.utc)
    assert when <= AS_OF_DT, f"{when} is after AS_OF"
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def plus_minutes(instant, minutes):
    dt = datetime.strptime(instant, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    dt = min(dt + timedelta(minutes=minutes), AS_OF_DT)
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def age_on_as_of(birth_date):
    b = date.fromisoformat(birth_date)
    t = AS_OF_DT.date()
    return t.year - b.year - ((t.month, t.day) < (b.month, b.day))


# --- Resource helpers --------------------------------------------------------------------------

def ref(resource):
    return f"{resource['resourceType']}/{resource['id']}"


def meta():
    return {"tag": [dict(HTEST_TAG)]}


def coding_rx(rxcui):
    return {"system": RXNORM_SYS, "code": rxcui, "display": RXNORM[rxcui]}


def med_concept(rxcui):
    return {"coding": [coding_rx(rxcui)], "text": RXNORM[rxcui]}


def route_concept(route):
    code, display = ROUTES[route]
    return {"coding": [{"system": SNOMED_SYS, "code": code, "display": display}], "text": display}


def practitioner():
    return {
        "resourceType": "Practitioner",
        "id": "hm-doc-1",
        "meta": meta(),
        "identifier": [{"system": "http://hl7.org/fhir/sid/us-npi", "value": "9990000001"}],
        "active": True,
        "name": [{"use": "official", "family": "Vantongeren", "given": ["Iris"], "prefix": ["Dr."]}],
    }


def patient(pid, mrn, given, family, gender, birth_date, expected_age):
    assert age_on_as_of(birth_date) == expected_age, (pid, birth_date, age_on_as_of(birth_date))
    return {
        "resourceType": "Patient",
        "id": pid,
        "meta": meta(),
        "identifier": [{
            "use": "usual",
            "type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203",
                                 "code": "MR", "display": "Medical record number"}]},
            "system": MRN_SYS,
            "value": mrn,
        }],
        "active": True,
        "name": [{"use": "official", "family": family, "given": [given],
                  "text": f"{given} {family} (synthetic)"}],
        "gender": gender,
        "birthDate": birth_date,
    }


def observation(pid, oid, loinc, value, unit_code, when, status="final"):
    """A lab (or vital-sign) Observation with a UCUM valueQuantity."""
    category = ("vital-signs" if loinc in VITAL_SIGNS else "procedure" if loinc in ECG else "laboratory")
    category_display = {"vital-signs": "Vital Signs", "procedure": "Procedure",
                        "laboratory": "Laboratory"}[category]
    return {
        "resourceType": "Observation",
        "id": f"{pid}-{oid}",
        "meta": meta(),
        "status": status,
        "category": [{"coding": [{"system": OBS_CATEGORY_SYS, "code": category,
                                  "display": category_display}]}],
        "code": {"coding": [{"system": LOINC_SYS, "code": loinc, "display": LOINC[loinc]}],
                 "text": LOINC_TEXT[loinc]},
        "subject": {"reference": f"Patient/{pid}"},
        "effectiveDateTime": when,
        "issued": plus_minutes(when, 50),
        "valueQuantity": {"value": value, "unit": UNITS[unit_code], "system": UCUM_SYS,
                          "code": unit_code},
    }


def medication_statement(pid, sid, rxcui=None, *, start=None, effective_datetime=None, route=None,
                         dosage_text=None, medication_reference=None, contained=None,
                         date_asserted=None, text_only=None):
    """An active MedicationStatement, coded inline by default, by medicationReference, or text only."""
    ms = {"resourceType": "MedicationStatement", "id": f"{pid}-{sid}", "meta": meta()}
    if contained:
        ms["contained"] = contained
    ms["status"] = "active"
    if medication_reference:
        ms["medicationReference"] = {"reference": medication_reference}
    elif text_only:
        ms["medicationCodeableConcept"] = {"text": text_only}
    else:
        ms["medicationCodeableConcept"] = med_concept(rxcui)
    ms["subject"] = {"reference": f"Patient/{pid}"}
    if effective_datetime:
        ms["effectiveDateTime"] = effective_datetime
    elif start:
        ms["effectivePeriod"] = {"start": start}
    ms["dateAsserted"] = date_asserted or days_before(30, "10:00")
    dosage = {}
    if dosage_text:
        dosage["text"] = dosage_text
    if route:
        dosage["route"] = route_concept(route)
    if dosage:
        ms["dosage"] = [dosage]
    return ms


def medication(mid, rxcui, *, tagged=False):
    """A Medication resource: stand-alone (tagged=True) or contained (local id, no meta)."""
    m = {"resourceType": "Medication", "id": mid}
    if tagged:
        m["meta"] = meta()
    m["code"] = med_concept(rxcui)
    return m


def medication_request(pid, rid, rxcui=None, *, status, authored_on, dosage_text=None, route=None,
                       text_only=None, category="outpatient", dose=None, reason=None):
    """A MedicationRequest: status 'active' for the record, 'draft' for a hook's draftOrders."""
    mr = {"resourceType": "MedicationRequest", "id": rid}
    if status != "draft":
        mr["meta"] = meta()
    mr["status"] = status
    mr["intent"] = "order"
    mr["category"] = [{"coding": [{"system": MR_CATEGORY_SYS, "code": category,
                                   "display": category.capitalize()}]}]
    if text_only:
        mr["medicationCodeableConcept"] = {"text": text_only}
    else:
        mr["medicationCodeableConcept"] = med_concept(rxcui)
    mr["subject"] = {"reference": f"Patient/{pid}"}
    mr["authoredOn"] = authored_on
    mr["requester"] = {"reference": USER_ID}
    if reason:
        code, display = reason
        mr["reasonCode"] = [{"coding": [{"system": SNOMED_SYS, "code": code, "display": display}],
                             "text": display}]
    if dosage_text or route or dose:
        d = {}
        if dosage_text:
            d["text"] = dosage_text
        if route:
            d["route"] = route_concept(route)
        if dose:
            value, unit = dose
            d["doseAndRate"] = [{"doseQuantity": {"value": value, "unit": unit,
                                                  "system": UCUM_SYS, "code": unit}}]
        mr["dosageInstruction"] = [d]
    return mr


def encounter_inpatient(pid, eid, start):
    return {
        "resourceType": "Encounter",
        "id": f"{pid}-{eid}",
        "meta": meta(),
        "status": "in-progress",
        "class": {"system": ACT_CODE_SYS, "code": "IMP", "display": "inpatient encounter"},
        "subject": {"reference": f"Patient/{pid}"},
        "period": {"start": start},
    }


VERIFICATION_STATUS = {"confirmed": "Confirmed", "provisional": "Provisional", "differential": "Differential",
                       "unconfirmed": "Unconfirmed", "refuted": "Refuted"}


def encounter_ambulatory(pid, eid, start):
    """An outpatient visit in progress (v3 ActCode AMB)."""
    return {
        "resourceType": "Encounter",
        "id": f"{pid}-{eid}",
        "meta": meta(),
        "status": "in-progress",
        "class": {"system": ACT_CODE_SYS, "code": "AMB", "display": "ambulatory"},
        "subject": {"reference": f"Patient/{pid}"},
        "period": {"start": start},
    }


def condition(pid, cid, key, *, onset, category="problem-list-item", clinical_status="active",
              abatement=None, recorded=None, verification="confirmed"):
    """A Condition (confirmed unless told) coded with ICD-10-CM and/or SNOMED CT (CONDITIONS)."""
    icd, sct, text = CONDITIONS[key]
    codings = []
    if icd:
        codings.append({"system": ICD10CM_SYS, "code": icd})
    if sct:
        codings.append({"system": SNOMED_SYS, "code": sct[0], "display": sct[1]})
    c = {
        "resourceType": "Condition",
        "id": f"{pid}-{cid}",
        "meta": meta(),
        "clinicalStatus": {"coding": [{"system": CONDITION_CLINICAL_SYS, "code": clinical_status,
                                       "display": CLINICAL_STATUS[clinical_status]}]},
        "verificationStatus": {"coding": [{"system": CONDITION_VER_SYS, "code": verification,
                                           "display": VERIFICATION_STATUS[verification]}]},
        "category": [{"coding": [{"system": CONDITION_CATEGORY_SYS, "code": category,
                                  "display": CONDITION_CATEGORIES[category]}]}],
        "code": {"coding": codings, "text": text},
        "subject": {"reference": f"Patient/{pid}"},
        "onsetDateTime": onset,
    }
    if abatement:
        c["abatementDateTime"] = abatement
    c["recordedDate"] = recorded or onset
    return c


ROLE_CODE_SYS = "http://terminology.hl7.org/CodeSystem/v3-RoleCode"


def family_member_history(pid, fid, role, role_display, key, *, status="completed"):
    """A FamilyMemberHistory: a relative (HL7 v3 RoleCode) with one condition of CONDITIONS, or a SNOMED CT
    (code, display) pair that the service does not read."""
    if isinstance(key, tuple):
        codings, text = [{"system": SNOMED_SYS, "code": key[0], "display": key[1]}], key[1]
    else:
        icd, sct, text = CONDITIONS[key]
        codings = []
        if icd:
            codings.append({"system": ICD10CM_SYS, "code": icd})
        if sct:
            codings.append({"system": SNOMED_SYS, "code": sct[0], "display": sct[1]})
    return {
        "resourceType": "FamilyMemberHistory",
        "id": f"{pid}-{fid}",
        "meta": meta(),
        "status": status,
        "patient": {"reference": f"Patient/{pid}"},
        "relationship": {"coding": [{"system": ROLE_CODE_SYS, "code": role, "display": role_display}]},
        "condition": [{"code": {"coding": codings, "text": text}}],
    }


def draft_orders_bundle(*drafts):
    """context.draftOrders as a CDS client sends it (Bundle.type collection)."""
    return {"resourceType": "Bundle", "type": "collection",
            "entry": [{"resource": d} for d in drafts]}


def sandbox_draft_orders_bundle(draft):
    """context.draftOrders as the real CDS Hooks sandbox sends it: no Bundle.type, and the draft's
    category and reasonCode are single objects instead of arrays (invalid R4, accepted by lenient
    parsers). Shape follows the sandbox's R4 medication reducer: date-only authoredOn,
    doseQuantity in {pill}, coding without text-only fallbacks."""
    d = json.loads(json.dumps(draft))
    d["category"] = d["category"][0]
    d["reasonCode"] = d["reasonCode"][0]
    d["authoredOn"] = d["authoredOn"][:10]
    d.pop("requester", None)
    d["dosageInstruction"] = [{
        "doseAndRate": [{"doseQuantity": {"value": 1, "system": UCUM_SYS, "code": "{pill}"}}],
        "timing": {"repeat": {"frequency": 1, "period": 1, "periodUnit": "d"}},
    }]
    return {"resourceType": "Bundle", "entry": [{"resource": d}]}


def card(indicator, mentions=(), rules=(), deletes=None, detail_contains=(), detail_lacks=(),
         suggestions_contain=(), suggestions_lack=(), summary_contains=()):
    """An expected card: `rules` and `detail_contains` are the minimum the detail must say; `detail_lacks` what it
    must never say; `suggestions_contain` / `suggestions_lack` phrases some / no suggestion label may carry;
    `summary_contains` what the one-line summary must say (a critical card names why it is critical)."""
    c = {"indicator": indicator, "mentions": list(mentions), "rules": list(rules)}
    if summary_contains:
        c["summaryContains"] = list(summary_contains)
    if detail_contains:
        c["detailContains"] = list(detail_contains)
    if detail_lacks:
        c["detailLacks"] = list(detail_lacks)
    if suggestions_contain:
        c["suggestionsContain"] = list(suggestions_contain)
    if suggestions_lack:
        c["suggestionsLack"] = list(suggestions_lack)
    if deletes:
        c["deletes"] = deletes
    return c


# --- Scenario container ------------------------------------------------------------------------

class Scenario:
    def __init__(self, slug, patient_resource):
        self.slug = slug
        self.patient = patient_resource
        self.resources = []          # everything but Practitioner and Patient
        self.encounter_id = None     # set when the hook context has an encounter
        self.dialect = None          # "epic": search answers shaped as Epic's (see epic_search_answers)
        self.requests = []           # (file suffix, hook, extra context, description, cards)

    @property
    def pid(self):
        return self.patient["id"]

    def add(self, *resources):
        self.resources.extend(resources)
        return self

    def request(self, hook, description, cards, *, suffix=None, selections=None,
                draft_orders=None):
        ctx = {}
        if selections is not None:
            ctx["selections"] = selections
        if draft_orders is not None:
            ctx["draftOrders"] = draft_orders
        self.requests.append((suffix or hook, hook, ctx, description, cards))
        return self

    def all_resources(self):
        return [practitioner(), self.patient] + self.resources


# --- Scenarios ---------------------------------------------------------------------------------
# Lab times are written as days_before(n, "hh:mm"): n calendar days before AS_OF (2026-11-25).

def scenario_ppi_low_mg():
    """1. Long-term omeprazole, Mg 1.3 mg/dL and falling; draft furosemide selected."""
    pid = "hm-ppi-01"
    s = Scenario("ppi-low-mg", patient(pid, "SYN-0001", "Elaine", "Marsh", "female", "1959-04-17", 67))
    t = days_before(2, "08:30")  # 2026-11-23
    s.add(
        observation(pid, "mg-1", "19123-9", 1.3, "mg/dL", t),
        observation(pid, "mg-2", "19123-9", 1.6, "mg/dL", "2026-10-30T09:10:00Z"),
        observation(pid, "mg-3", "19123-9", 1.9, "mg/dL", "2026-09-15T08:45:00Z"),
        observation(pid, "k-1", "2823-3", 3.9, "mmol/L", t),
        observation(pid, "ca-1", "17861-6", 9.1, "mg/dL", t),
        observation(pid, "cr-1", "2160-0", 0.9, "mg/dL", t),
        observation(pid, "egfr-1", "98979-8", 78, "mL/min/{1.73_m2}", t),
        observation(pid, "wt-1", "29463-7", 64, "kg", days_before(2, "08:20")),
        medication_statement(pid, "ms-omeprazole", "207212", start="2024-03-12", route="oral",
                             dosage_text="20 mg by mouth once daily before breakfast"),
    )
    furo = medication_request(pid, f"{pid}-draft-furo", "313988", status="draft",
                              authored_on=days_before(0, "11:40"), route="oral",
                              dosage_text="40 mg by mouth once daily", dose=(40, "mg"))
    # A second, causative draft that is NOT selected: order-select must ignore it.
    hctz = medication_request(pid, f"{pid}-draft-hctz", "429503", status="draft",
                              authored_on=days_before(0, "11:35"), route="oral",
                              dosage_text="12.5 mg by mouth once daily", dose=(12.5, "mg"))
    s.request("patient-view",
              "Omeprazole since 2024-03; Mg 1.3 mg/dL two days ago, falling (1.9 -> 1.6 -> 1.3); "
              "K, Ca and eGFR normal: warning naming omeprazole. No encounter, so the setting is unknown: IV and "
              "oral are both offered and the recheck is not timed to one of them.",
              [card("warning", ["omeprazole"], ["MG-LEVEL", "MG-CAUSE", "MG-TREAT"],
                    suggestions_contain=["Recheck serum magnesium after replacement (24 hours after IV, 7 days "
                                         "after starting oral)"],
                    suggestions_lack=["in 24 hours", "in 7 days"])])
    s.request("order-select",
              "Draft furosemide 40 mg selected while Mg is 1.3 mg/dL: warning offering to delete it. "
              "The draft hydrochlorothiazide is in draftOrders but not selected: no card for it.",
              [card("warning", ["furosemide"], ["MG-LEVEL", "MG-CAUSE"],
                    deletes=f"MedicationRequest/{furo['id']}")],
              selections=[f"MedicationRequest/{furo['id']}"],
              draft_orders=draft_orders_bundle(hctz, furo))
    return s


def scenario_loop_hypokalemia():
    """2. Furosemide, Mg 0.55 mmol/L, K 3.1; creatinine in umol/L only; spot urine for FEMg."""
    pid = "hm-loop-01"
    s = Scenario("loop-hypokalemia",
                 patient(pid, "SYN-0002", "Harold", "Brennan", "male", "1954-08-02", 72))
    t = days_before(3, "07:45")  # 2026-11-22
    tu = days_before(3, "10:30")
    s.add(
        observation(pid, "mg-1", "2601-3", 0.55, "mmol/L", t),
        observation(pid, "k-1", "2823-3", 3.1, "mmol/L", t),
        observation(pid, "ca-1", "2000-8", 2.30, "mmol/L", t),
        observation(pid, "cr-1", "14682-9", 88, "umol/L", t),
        # Spot urine within 48 h: FEMg = (2.1 x 0.088) / (0.7 x 0.55 x 6.2) x 100 = 7.7 % (> 2 %: renal)
        observation(pid, "umg-1", "2598-1", 2.1, "mmol/L", tu),
        observation(pid, "ucr-1", "14683-7", 6.2, "mmol/L", tu),
        observation(pid, "wt-1", "3141-9", 81.5, "kg", days_before(3, "07:30")),
        medication_statement(pid, "ms-furosemide", "313988", start="2025-01-14", route="oral",
                             dosage_text="40 mg by mouth every morning"),
    )
    s.request("patient-view",
              "Furosemide since 2025-01; Mg 0.55 mmol/L (1.34 mg/dL), K 3.1 mmol/L; creatinine "
              "88 umol/L only (estimated eGFR ~80, not < 30); spot urine FEMg ~7.7 % (renal "
              "wasting): warning naming furosemide with the hypokalemia and the FEMg.",
              [card("warning", ["furosemide"],
                    ["MG-LEVEL", "MG-CAUSE", "MG-ASSOC", "MG-TREAT", "MG-FEMG"])])
    return s


def scenario_digoxin_low_mg():
    """3. Digoxin + bumetanide (contained Medication); Mg 1.4 mg/dL -> critical (MG-DIGOXIN)."""
    pid = "hm-dig-01"
    s = Scenario("digoxin-low-mg",
                 patient(pid, "SYN-0003", "Dorothy", "Kessler", "female", "1946-01-29", 80))
    t = days_before(1, "07:15")  # 2026-11-24
    s.add(
        observation(pid, "mg-1", "19123-9", 1.4, "mg/dL", t),
        observation(pid, "k-1", "2823-3", 4.0, "mmol/L", t),
        observation(pid, "ca-1", "17861-6", 9.0, "mg/dL", t),
        observation(pid, "cr-1", "2160-0", 1.0, "mg/dL", t),
        observation(pid, "egfr-1", "98979-8", 57, "mL/min/{1.73_m2}", t),
        observation(pid, "wt-1", "29463-7", 58, "kg", days_before(1, "07:00")),
        medication_statement(pid, "ms-digoxin", "197604", start="2021-06-08", route="oral",
                             dosage_text="0.125 mg by mouth once daily"),
        # Bumetanide by medicationReference to a contained Medication.
        medication_statement(pid, "ms-bumetanide", start="2025-09-02", route="oral",
                             dosage_text="1 mg by mouth once daily",
                             medication_reference="#med-bumetanide",
                             contained=[medication("med-bumetanide", "197418")]),
    )
    s.request("patient-view",
              "Digoxin plus bumetanide (bumetanide coded only in a contained Medication); Mg 1.4 "
              "mg/dL yesterday: critical because of digoxin, naming both drugs.",
              [card("critical", ["digoxin", "bumetanide"],
                    ["MG-LEVEL", "MG-CAUSE", "MG-DIGOXIN", "MG-TREAT"])])
    return s


def scenario_severe_hypocalcemia():
    """4. Cisplatin, Mg 1.0 mg/dL, Ca 7.4 mg/dL, iCa 0.95, K 3.3; inpatient encounter."""
    pid = "hm-hypoca-01"
    s = Scenario("severe-hypocalcemia",
                 patient(pid, "SYN-0004", "Marcus", "Oyelaran", "male", "1981-06-11", 45))
    t = days_before(0, "05:40")  # 2026-11-25
    enc = encounter_inpatient(pid, "enc-1", days_before(2, "14:00"))
    s.encounter_id = enc["id"]
    s.add(
        enc,
        observation(pid, "mg-1", "19123-9", 1.0, "mg/dL", t),
        observation(pid, "ca-1", "17861-6", 7.4, "mg/dL", t),
        observation(pid, "ica-1", "1995-0", 0.95, "mmol/L", t),
        observation(pid, "k-1", "2823-3", 3.3, "mmol/L", t),
        observation(pid, "phos-1", "2777-1", 2.9, "mg/dL", t),
        observation(pid, "cr-1", "2160-0", 1.1, "mg/dL", t),
        observation(pid, "egfr-1", "98979-8", 84, "mL/min/{1.73_m2}", t),
        observation(pid, "wt-1", "29463-7", 78, "kg", days_before(2, "15:00")),
        medication_statement(pid, "ms-cisplatin", "309311", start="2026-09-01", route="iv",
                             dosage_text="75 mg/m2 IV on day 1 of each 21-day cycle"),
    )
    s.request("patient-view",
              "Inpatient on cisplatin since 2026-09-01; Mg 1.0 mg/dL (severe), total Ca 7.4 mg/dL, "
              "ionized Ca 0.95 mmol/L, K 3.3 mmol/L: critical, calcium before magnesium sulfate.",
              [card("critical", ["cisplatin"],
                    ["MG-LEVEL", "MG-CAUSE", "MG-ASSOC", "MG-CALCIUM-FIRST", "MG-TREAT"])])
    return s


def scenario_ckd4():
    """5. Hydrochlorothiazide, Mg 1.35 mg/dL, eGFR 22; order-sign magnesium sulfate."""
    pid = "hm-ckd4-01"
    s = Scenario("ckd4", patient(pid, "SYN-0005", "Beatrice", "Lindqvist", "female", "1956-10-03", 70))
    t = days_before(6, "10:00")  # 2026-11-19
    s.add(
        observation(pid, "mg-1", "19123-9", 1.35, "mg/dL", t),
        observation(pid, "k-1", "2823-3", 4.6, "mmol/L", t),
        observation(pid, "ca-1", "17861-6", 8.9, "mg/dL", t),
        observation(pid, "cr-1", "2160-0", 2.3, "mg/dL", t),
        observation(pid, "egfr-1", "98979-8", 22, "mL/min/{1.73_m2}", t),
        observation(pid, "wt-1", "29463-7", 70, "kg", days_before(6, "09:45")),
        medication_statement(pid, "ms-hctz", "310798", start="2020-02-10", route="oral",
                             dosage_text="25 mg by mouth once daily"),
    )
    mgso4 = medication_request(pid, f"{pid}-draft-mgso4", "1658259", status="draft",
                               authored_on=days_before(0, "11:50"), route="iv",
                               category="inpatient", dose=(2, "g"),
                               dosage_text="2 g (one 50 mL bag) IV over 1 hour",
                               reason=HYPOMAGNESEMIA_SCT)
    s.request("patient-view",
              "Hydrochlorothiazide since 2020; Mg 1.35 mg/dL, eGFR 22: warning naming "
              "hydrochlorothiazide, with halved replacement dose for eGFR < 30.",
              [card("warning", ["hydrochlorothiazide"],
                    ["MG-LEVEL", "MG-CAUSE", "MG-TREAT", "MG-RENAL"])])
    s.request("order-sign",
              "Magnesium sulfate 2 g IV about to be signed with eGFR 22: warning to halve the dose "
              "and watch for hypermagnesemia (no deletion: the order itself is indicated).",
              [card("warning", ["magnesium sulfate"], ["MG-RENAL"])],
              draft_orders=draft_orders_bundle(mgso4))
    return s


def scenario_child_weight():
    """6. 9-year-old on IV gentamicin, 28 kg, Mg 1.1 mg/dL -> critical, pediatric dosing."""
    pid = "hm-child-01"
    s = Scenario("child-weight",
                 patient(pid, "SYN-0006", "Tomas", "Whitfield", "male", "2017-03-08", 9))
    t = days_before(0, "06:10")  # 2026-11-25
    s.add(
        observation(pid, "mg-1", "19123-9", 1.1, "mg/dL", t),
        observation(pid, "k-1", "2823-3", 3.8, "mmol/L", t),
        observation(pid, "ca-1", "17861-6", 9.2, "mg/dL", t),
        observation(pid, "cr-1", "2160-0", 0.45, "mg/dL", t),
        observation(pid, "wt-1", "29463-7", 28, "kg", days_before(5, "09:00")),
        medication_statement(pid, "ms-gentamicin", "313996", start=days_before(5, "08:00"),
                             route="iv", dosage_text="7 mg/kg (196 mg) IV once daily"),
    )
    s.request("patient-view",
              "9-year-old, 28 kg, IV gentamicin for 5 days; Mg 1.1 mg/dL (severe): critical with "
              "the pediatric regimen 25-50 mg/kg (700-1400 mg, max 2 g) naming gentamicin.",
              [card("critical", ["gentamicin"], ["MG-LEVEL", "MG-CAUSE", "MG-TREAT"])])
    return s


def scenario_normal():
    """7. Recent normal Mg, no medications: no card on any hook."""
    pid = "hm-normal-01"
    s = Scenario("normal", patient(pid, "SYN-0007", "Daniel", "Okafor", "male", "1976-02-21", 50))
    t = days_before(10, "09:00")  # 2026-11-15
    s.add(
        observation(pid, "mg-1", "19123-9", 2.0, "mg/dL", t),
        observation(pid, "k-1", "2823-3", 4.2, "mmol/L", t),
        observation(pid, "cr-1", "2160-0", 0.97, "mg/dL", t),
        observation(pid, "egfr-1", "98979-8", 95, "mL/min/{1.73_m2}", t),
    )
    amox = medication_request(pid, f"{pid}-draft-amox", status="draft",
                              authored_on=days_before(0, "11:45"),
                              text_only="amoxicillin 500 mg capsule",
                              dosage_text="500 mg by mouth three times daily for 7 days")
    s.request("patient-view", "Mg 2.0 mg/dL ten days ago, no medications: no card.", [])
    s.request("order-select",
              "Selected draft amoxicillin (text only, no code; not causative), Mg normal: no card.",
              [], selections=[f"MedicationRequest/{amox['id']}"],
              draft_orders=draft_orders_bundle(amox))
    s.request("order-sign",
              "Signing draft amoxicillin (text only, no code; not causative), Mg normal: no card.",
              [], draft_orders=draft_orders_bundle(amox))
    return s


def scenario_meq_units():
    """8. Pantoprazole, Mg 1.1 mEq/L (= 0.55 mmol/L = 1.34 mg/dL): warning."""
    pid = "hm-meq-01"
    s = Scenario("meq-units", patient(pid, "SYN-0008", "Rosa", "Delgado", "female", "1968-09-30", 58))
    t = days_before(4, "08:00")  # 2026-11-21
    s.add(
        observation(pid, "mg-1", "2601-3", 1.1, "meq/L", t),
        observation(pid, "k-1", "2823-3", 3.7, "mmol/L", t),
        observation(pid, "ca-1", "17861-6", 9.0, "mg/dL", t),
        observation(pid, "cr-1", "2160-0", 0.8, "mg/dL", t),
        observation(pid, "egfr-1", "98979-8", 85, "mL/min/{1.73_m2}", t),
        # Partial date (month precision) is valid FHIR dateTime.
        medication_statement(pid, "ms-pantoprazole", "314200", start="2023-05", route="oral",
                             dosage_text="40 mg by mouth once daily"),
    )
    s.request("patient-view",
              "Pantoprazole since 2023-05; Mg 1.1 meq/L (0.55 mmol/L, 1.34 mg/dL: low, not "
              "severe): warning naming pantoprazole.",
              [card("warning", ["pantoprazole"], ["MG-LEVEL", "MG-CAUSE", "MG-TREAT"])])
    return s


def scenario_mg_per_l():
    """9. Chlorthalidone via a referenced Medication (search include); Mg 13 mg/L."""
    pid = "hm-mgl-01"
    s = Scenario("mg-per-l", patient(pid, "SYN-0009", "Gregory", "Tamm", "male", "1965-05-19", 61))
    t = days_before(5, "09:30")  # 2026-11-20
    med = medication(f"{pid}-med-chlorthalidone", "197499", tagged=True)
    s.add(
        med,
        observation(pid, "mg-1", "19123-9", 13, "mg/L", t),
        observation(pid, "k-1", "2823-3", 3.6, "mmol/L", t),
        observation(pid, "ca-1", "17861-6", 9.4, "mg/dL", t),
        observation(pid, "cr-1", "2160-0", 1.05, "mg/dL", t),
        observation(pid, "egfr-1", "98979-8", 81, "mL/min/{1.73_m2}", t),
        medication_statement(pid, "ms-chlorthalidone", start="2024-08-19", route="oral",
                             dosage_text="25 mg by mouth once daily",
                             medication_reference=ref(med)),
    )
    s.request("patient-view",
              "Chlorthalidone (medicationReference to a Medication included in the searchset); "
              "Mg 13 mg/L = 1.3 mg/dL: warning naming chlorthalidone.",
              [card("warning", ["chlorthalidone"], ["MG-LEVEL", "MG-CAUSE", "MG-TREAT"])])
    return s


def scenario_ppi_monitoring():
    """10. Esomeprazole since 2022, last Mg 2025-06-10 (> 12 months): monitoring prompt."""
    pid = "hm-ppi-mon-01"
    s = Scenario("ppi-monitoring",
                 patient(pid, "SYN-0010", "Priya", "Raman", "female", "1967-07-04", 59))
    bmp = "2026-08-02T08:20:00Z"  # recent chemistry without a magnesium
    s.add(
        observation(pid, "mg-1", "19123-9", 2.0, "mg/dL", "2025-06-10T08:00:00Z"),
        observation(pid, "k-1", "2823-3", 4.1, "mmol/L", bmp),
        observation(pid, "cr-1", "2160-0", 0.7, "mg/dL", bmp),
        observation(pid, "egfr-1", "98979-8", 99, "mL/min/{1.73_m2}", bmp),
        medication_statement(pid, "ms-esomeprazole", "606730", start="2022-02-14", route="oral",
                             dosage_text="40 mg by mouth once daily"),
    )
    renewal = medication_request(pid, f"{pid}-draft", "606730", status="draft",
                                 authored_on=days_before(0, "11:40"), route="oral",
                                 dosage_text="40 mg by mouth once daily (90-day renewal)",
                                 dose=(40, "mg"))
    s.request("patient-view",
              "Esomeprazole since 2022-02, last Mg 2.0 mg/dL on 2025-06-10 (over 12 months): "
              "info card asking for a magnesium level.",
              [card("info", ["esomeprazole"], ["MG-CAUSE"])])
    s.request("order-sign",
              "Signing an esomeprazole renewal with no Mg in the last 12 months (Mg unknown): "
              "info card naming esomeprazole, no deletion.",
              [card("info", ["esomeprazole"], ["MG-LEVEL"])],
              draft_orders=draft_orders_bundle(renewal))
    return s


def scenario_ophthalmic_only():
    """11. Gentamicin eye drops only (not a cause); Mg 1.4 mg/dL: warning, no drug named."""
    pid = "hm-ophth-01"
    s = Scenario("ophthalmic-only",
                 patient(pid, "SYN-0011", "Walter", "Nyberg", "male", "1960-03-15", 66))
    t = days_before(1, "08:15")  # 2026-11-24
    s.add(
        observation(pid, "mg-1", "19123-9", 1.4, "mg/dL", t),
        observation(pid, "k-1", "2823-3", 4.0, "mmol/L", t),
        observation(pid, "ca-1", "17861-6", 9.3, "mg/dL", t),
        observation(pid, "cr-1", "2160-0", 0.98, "mg/dL", t),
        observation(pid, "egfr-1", "98979-8", 85, "mL/min/{1.73_m2}", t),
        medication_statement(pid, "ms-gentamicin-eye", "310467",
                             effective_datetime=days_before(7, "16:00"), route="ophthalmic",
                             dosage_text="1 drop in the left eye four times daily"),
    )
    s.request("patient-view",
              "Only ophthalmic gentamicin (not a systemic cause); Mg 1.4 mg/dL: warning with no "
              "drug named; no cause found, so it recommends FEMg and considers genetic testing.",
              [card("warning", [], ["MG-LEVEL", "MG-TREAT", "MG-FEMG", "MG-GENETIC"])])
    return s


def scenario_high_mg_order():
    """12. Mg 3.1 mg/dL on magnesium oxide; magnesium sulfate draft selected -> warning."""
    pid = "hm-high-01"
    s = Scenario("high-mg-order",
                 patient(pid, "SYN-0012", "Agnes", "Holloway", "female", "1949-02-10", 77))
    t = days_before(1, "09:00")  # 2026-11-24
    s.add(
        observation(pid, "mg-1", "19123-9", 3.1, "mg/dL", t),
        observation(pid, "k-1", "2823-3", 4.4, "mmol/L", t),
        observation(pid, "ca-1", "17861-6", 9.6, "mg/dL", t),
        observation(pid, "cr-1", "2160-0", 1.22, "mg/dL", t),
        observation(pid, "egfr-1", "98979-8", 45, "mL/min/{1.73_m2}", t),
        medication_statement(pid, "ms-magox", "198741", start="2025-11-03", route="oral",
                             dosage_text="400 mg by mouth twice daily"),
    )
    mgso4 = medication_request(pid, f"{pid}-draft-mgso4", "1658259", status="draft",
                               authored_on=days_before(0, "11:55"), route="iv",
                               category="inpatient", dose=(2, "g"),
                               dosage_text="2 g (one 50 mL bag) IV over 1 hour",
                               reason=HYPOMAGNESEMIA_SCT)
    deletes = f"MedicationRequest/{mgso4['id']}"
    s.request("patient-view",
              "Mg 3.1 mg/dL (high) on magnesium oxide, eGFR 45, no causative drug: no card "
              "(the spec only warns about high Mg when a magnesium order is selected).", [])
    s.request("order-select",
              "Magnesium sulfate draft selected while Mg is 3.1 mg/dL (> 2.68): warning offering "
              "to delete the draft.",
              [card("warning", ["magnesium sulfate"], ["MG-LEVEL"], deletes=deletes)],
              selections=[deletes], draft_orders=draft_orders_bundle(mgso4))
    s.request("order-select",
              "Same as high-mg-order.order-select but shaped like the real CDS Hooks sandbox: "
              "draftOrders Bundle without type, draft reasonCode/category as single objects "
              "(invalid R4, parse leniently): same warning.",
              [card("warning", ["magnesium sulfate"], ["MG-LEVEL"], deletes=deletes)],
              suffix="order-select-sandbox",
              selections=[deletes], draft_orders=sandbox_draft_orders_bundle(mgso4))
    return s


def scenario_stale_low():
    """13. Furosemide (active MedicationRequest), last Mg 1.2 mg/dL 45 days ago: recheck."""
    pid = "hm-stale-01"
    s = Scenario("stale-low",
                 patient(pid, "SYN-0013", "Linda", "Prescott", "female", "1962-05-26", 64))
    t = days_before(45, "08:00")  # 2026-10-11
    s.add(
        observation(pid, "mg-1", "19123-9", 1.2, "mg/dL", t),
        observation(pid, "k-1", "2823-3", 3.8, "mmol/L", t),
        observation(pid, "cr-1", "2160-0", 0.9, "mg/dL", t),
        observation(pid, "egfr-1", "98979-8", 71, "mL/min/{1.73_m2}", t),
        # Furosemide is on record as an active prescription, not a MedicationStatement.
        medication_request(pid, f"{pid}-mr-furosemide", "310429", status="active",
                           authored_on="2025-08-12T10:20:00Z", route="oral",
                           dosage_text="20 mg by mouth once daily", dose=(20, "mg"),
                           category="community"),
    )
    s.request("patient-view",
              "Furosemide (active MedicationRequest since 2025-08); last Mg 1.2 mg/dL 45 days ago "
              "(stale, > 30 days): info card asking for a recheck, no treatment.",
              [card("info", ["furosemide"], ["MG-LEVEL"])])
    return s


def scenario_entered_in_error():
    """14. Extra: newest Mg is entered-in-error (0.9 mg/dL); the valid one is normal: no card."""
    pid = "hm-eie-01"
    s = Scenario("entered-in-error",
                 patient(pid, "SYN-0014", "Samuel", "Achterberg", "male", "1971-10-09", 55))
    t = days_before(7, "08:00")  # 2026-11-18
    s.add(
        observation(pid, "mg-1", "19123-9", 0.9, "mg/dL", days_before(1, "08:00"),
                    status="entered-in-error"),
        observation(pid, "mg-2", "19123-9", 1.9, "mg/dL", t),
        observation(pid, "k-1", "2823-3", 4.3, "mmol/L", t),
        observation(pid, "cr-1", "2160-0", 0.95, "mg/dL", t),
        observation(pid, "egfr-1", "98979-8", 92, "mL/min/{1.73_m2}", t),
    )
    s.request("patient-view",
              "Newest Mg (0.9 mg/dL, yesterday) is entered-in-error and must be ignored; the valid "
              "Mg 1.9 mg/dL a week ago is normal; no medications: no card.", [])
    return s


def scenario_everything():
    """15. Everything at once: inpatient, severe and recurrent low Mg, PPI + loop diuretic + digoxin, AF, alcohol
    use disorder, low K and Ca, eGFR 24, long QTc, phosphate and glucose missing; order-sign of two causers."""
    pid = "hm-all-01"
    s = Scenario("everything",
                 patient(pid, "SYN-0015", "Bernard", "Achebe-Lowell", "male", "1955-07-19", 71))
    t = days_before(0, "05:30")  # 2026-11-25
    enc = encounter_inpatient(pid, "enc-1", days_before(1, "19:20"))
    s.encounter_id = enc["id"]
    s.add(
        enc,
        observation(pid, "mg-1", "19123-9", 0.9, "mg/dL", t),
        observation(pid, "mg-2", "19123-9", 1.2, "mg/dL", days_before(24, "08:10")),  # 2026-11-01
        observation(pid, "mg-3", "19123-9", 1.3, "mg/dL", days_before(52, "09:00")),  # 2026-10-04
        observation(pid, "k-1", "2823-3", 3.0, "mmol/L", t),
        observation(pid, "ca-1", "17861-6", 7.8, "mg/dL", t),
        observation(pid, "cr-1", "2160-0", 2.6, "mg/dL", t),
        observation(pid, "egfr-1", "98979-8", 24, "mL/min/{1.73_m2}", t),
        observation(pid, "qtc-1", "8636-3", 480, "ms", days_before(0, "06:15")),
        observation(pid, "wt-1", "29463-7", 74, "kg", days_before(1, "20:00")),
        medication_statement(pid, "ms-omeprazole", "207212", start="2023-04-18", route="oral",
                             dosage_text="20 mg by mouth once daily before breakfast"),
        medication_statement(pid, "ms-furosemide", "313988", start="2024-02-06", route="oral",
                             dosage_text="40 mg by mouth every morning"),
        medication_statement(pid, "ms-digoxin", "197604", start="2025-03-11", route="oral",
                             dosage_text="0.125 mg by mouth once daily"),
        condition(pid, "cond-af", "atrial-fibrillation", onset="2025-03-02",
                  category="encounter-diagnosis", recorded=days_before(1, "19:45")),
        condition(pid, "cond-aud", "alcohol-use-disorder", onset="2018-06-20", recorded="2019-01-08"),
    )
    furo = medication_request(pid, f"{pid}-draft-furo", "197732", status="draft",
                              authored_on=days_before(0, "11:30"), route="oral", category="inpatient",
                              dosage_text="80 mg by mouth every morning (increase from 40 mg)",
                              dose=(80, "mg"))
    panto = medication_request(pid, f"{pid}-draft-panto", "314200", status="draft",
                               authored_on=days_before(0, "11:32"), route="oral", category="inpatient",
                               dosage_text="40 mg by mouth once daily", dose=(40, "mg"))
    s.request("patient-view",
              "Inpatient, 71 M: Mg 0.9 mg/dL today (severe) after 1.3 and 1.2 in the last 60 days (three "
              "lows in 90 days: recurrent, nephrology); omeprazole since 2023, furosemide since 2024, digoxin; "
              "atrial fibrillation and alcohol use disorder active; K 3.0, total Ca 7.8, eGFR 24, QTc 480 ms; "
              "no phosphate or glucose: exactly one critical card with every rule.",
              [card("critical", ["omeprazole", "furosemide", "digoxin"],
                    summary_contains=["Severely low", "on digoxin: toxicity risk", "atrial fibrillation, QTc 480 ms"],
                    rules=["MG-LEVEL", "MG-CAUSE", "MG-ASSOC", "MG-CALCIUM-FIRST", "MG-DIGOXIN",
                     "MG-CARDIO-CONSULT", "MG-RENAL", "MG-EVAL", "MG-CAUSE-TREAT", "MG-NEPHRO-CONSULT",
                     "MG-TREAT", "MG-RECHECK"],
                    detail_contains=["atrial fibrillation", "QTc 480 ms",
                                     "Contributing condition: alcohol use disorder",
                                     "Advise alcohol restriction", "Doses halved for eGFR below 30",
                                     # issue 17: the short part names why it is critical and what to do now
                                     "**Critical:** on digoxin: toxicity risk; with atrial fibrillation, QTc 480 ms",
                                     "**Now:** Correct calcium first, then magnesium sulfate"],
                    # issue 17: three buttons, the regimen first; amiloride stays one click away, triamterene
                    # is named in the detail only
                    suggestions_contain=["Magnesium sulfate 500–1000 mg IV over 1 hour", "Add amiloride 5 mg"],
                    suggestions_lack=["triamterene"])])
    order_rules = ["MG-LEVEL", "MG-CAUSE", "MG-DIGOXIN", "MG-CARDIO-CONSULT"]
    s.request("order-sign",
              "Signing a furosemide increase (80 mg) and a new pantoprazole while Mg is 0.9 mg/dL, on digoxin, "
              "with AF and QTc 480 ms: two critical cards, each offering to delete its draft.",
              [card("critical", ["furosemide"], order_rules, deletes=f"MedicationRequest/{furo['id']}"),
               card("critical", ["pantoprazole"], order_rules, deletes=f"MedicationRequest/{panto['id']}")],
              draft_orders=draft_orders_bundle(furo, panto))
    return s


def scenario_afib_low_mg():
    """16. Atrial fibrillation on the problem list, Mg 1.4 mg/dL, no causative drug: critical, cardiology."""
    pid = "hm-afib-01"
    s = Scenario("afib-low-mg",
                 patient(pid, "SYN-0016", "Margit", "Sorensen", "female", "1960-09-14", 66))
    t = days_before(2, "08:05")  # 2026-11-23
    s.add(
        observation(pid, "mg-1", "19123-9", 1.4, "mg/dL", t),
        observation(pid, "k-1", "2823-3", 4.1, "mmol/L", t),
        observation(pid, "ca-1", "17861-6", 9.2, "mg/dL", t),
        observation(pid, "cr-1", "2160-0", 0.9, "mg/dL", t),
        observation(pid, "egfr-1", "98979-8", 68, "mL/min/{1.73_m2}", t),
        condition(pid, "cond-af", "atrial-fibrillation", onset="2024-05-20"),
    )
    s.request("patient-view",
              "Atrial fibrillation (active, problem list); Mg 1.4 mg/dL two days ago; no causative drug: "
              "critical because of the arrhythmia, with a cardiology consult.",
              [card("critical", [], ["MG-LEVEL", "MG-CARDIO-CONSULT", "MG-TREAT"],
                    summary_contains=["with atrial fibrillation: arrhythmia risk"],
                    detail_contains=["Low magnesium with atrial fibrillation",
                                     "**Critical:** with atrial fibrillation: arrhythmia risk"])])
    return s


def scenario_long_qtc():
    """17. QTc 470 ms (woman: >= 460 is prolonged), Mg 1.4 mg/dL, hydrochlorothiazide: critical."""
    pid = "hm-qtc-01"
    s = Scenario("long-qtc",
                 patient(pid, "SYN-0017", "Helen", "Castellano", "female", "1968-02-03", 58))
    t = days_before(1, "07:40")  # 2026-11-24
    s.add(
        observation(pid, "mg-1", "19123-9", 1.4, "mg/dL", t),
        observation(pid, "k-1", "2823-3", 3.7, "mmol/L", t),
        observation(pid, "ca-1", "17861-6", 9.0, "mg/dL", t),
        observation(pid, "cr-1", "2160-0", 0.8, "mg/dL", t),
        observation(pid, "egfr-1", "98979-8", 83, "mL/min/{1.73_m2}", t),
        observation(pid, "qtc-1", "8636-3", 470, "ms", days_before(1, "10:20")),
        medication_statement(pid, "ms-hctz", "310798", start="2021-06-01", route="oral",
                             dosage_text="25 mg by mouth once daily"),
    )
    s.request("patient-view",
              "Hydrochlorothiazide since 2021-06; Mg 1.4 mg/dL and QTc 470 ms (prolonged for a woman, >= 460) "
              "yesterday: critical with a cardiology consult, naming hydrochlorothiazide.",
              [card("critical", ["hydrochlorothiazide"],
                    ["MG-LEVEL", "MG-CAUSE", "MG-CARDIO-CONSULT", "MG-TREAT"],
                    summary_contains=["QTc 470 ms: arrhythmia risk"], detail_contains=["QTc 470 ms"])])
    return s


def scenario_alcohol():
    """18. Alcohol use disorder (F10.20), Mg 1.3 mg/dL, no drugs: the condition explains it."""
    pid = "hm-aud-01"
    s = Scenario("alcohol", patient(pid, "SYN-0018", "Kevin", "Marchetti", "male", "1977-01-30", 49))
    t = days_before(3, "09:15")  # 2026-11-22
    s.add(
        observation(pid, "mg-1", "19123-9", 1.3, "mg/dL", t),
        observation(pid, "k-1", "2823-3", 3.6, "mmol/L", t),
        observation(pid, "ca-1", "17861-6", 8.8, "mg/dL", t),
        observation(pid, "cr-1", "2160-0", 0.85, "mg/dL", t),
        observation(pid, "egfr-1", "98979-8", 104, "mL/min/{1.73_m2}", t),
        condition(pid, "cond-aud", "alcohol-use-disorder-icd", onset="2021-03-10"),
    )
    s.request("patient-view",
              "Alcohol use disorder (F10.20, active); Mg 1.3 mg/dL; no medications: warning naming no drug, "
              "the condition as the cause and alcohol restriction. Explained, so no MG-GENETIC and no FEMg "
              "workup (not asserted by the test: rules are a minimum).",
              [card("warning", [], ["MG-LEVEL", "MG-CAUSE", "MG-CAUSE-TREAT", "MG-TREAT"],
                    detail_contains=["Contributing condition: alcohol use disorder",
                                     "Advise alcohol restriction"])])
    return s


def scenario_gitelman():
    """19. Gitelman syndrome (SNOMED CT only), Mg 1.1 mg/dL, K 3.2: critical, nephrology, amiloride."""
    pid = "hm-git-01"
    s = Scenario("gitelman", patient(pid, "SYN-0019", "Noor", "Haddad", "female", "2002-06-12", 24))
    t = days_before(2, "08:40")  # 2026-11-23
    s.add(
        observation(pid, "mg-1", "19123-9", 1.1, "mg/dL", t),
        observation(pid, "k-1", "2823-3", 3.2, "mmol/L", t),
        observation(pid, "ca-1", "17861-6", 9.6, "mg/dL", t),
        observation(pid, "cr-1", "2160-0", 0.7, "mg/dL", t),
        observation(pid, "egfr-1", "98979-8", 121, "mL/min/{1.73_m2}", t),
        condition(pid, "cond-gitelman", "gitelman", onset="2015-09-01"),
    )
    s.request("patient-view",
              "Gitelman syndrome (SNOMED CT 707756004, active); Mg 1.1 mg/dL (severe), K 3.2 mmol/L: "
              "critical, with a nephrology referral for the known inherited tubulopathy, and amiloride or "
              "triamterene for the chronic renal wasting (MG-CAUSE-TREAT) with the potassium caution.",
              [card("critical", [], ["MG-LEVEL", "MG-CAUSE", "MG-ASSOC", "MG-NEPHRO-CONSULT", "MG-CAUSE-TREAT",
                                     "MG-TREAT"],
                    detail_contains=["known inherited tubulopathy (Gitelman syndrome)",
                                     "Chronic renal magnesium wasting (Gitelman syndrome): consider a potassium- and "
                                     "magnesium-sparing diuretic (amiloride or triamterene)",
                                     "check potassium and kidney function"])])
    return s


def scenario_renal_wasting():
    """24. No drug, no condition; Mg 1.3 mg/dL; spot urine FEMg about 7% with eGFR 98: chronic renal wasting."""
    pid = "hm-femg-01"
    s = Scenario("renal-wasting", patient(pid, "SYN-0024", "Ines", "Albrecht", "female", "1991-02-08", 35))
    t = days_before(1, "08:05")  # 2026-11-24
    s.add(
        observation(pid, "mg-1", "19123-9", 1.3, "mg/dL", t),
        observation(pid, "k-1", "2823-3", 3.4, "mmol/L", t),
        observation(pid, "ca-1", "17861-6", 9.2, "mg/dL", t),
        observation(pid, "cr-1", "2160-0", 0.8, "mg/dL", t),
        observation(pid, "egfr-1", "98979-8", 98, "mL/min/{1.73_m2}", t),
        observation(pid, "umg-1", "2598-1", 3.0, "mmol/L", plus_minutes(t, 40)),
        observation(pid, "ucr-1", "14683-7", 8.0, "mmol/L", plus_minutes(t, 40)),
    )
    s.request("patient-view",
              "No medication or condition; Mg 1.3 mg/dL; spot urine Mg 3.0 and creatinine 8.0 mmol/L with serum "
              "creatinine 0.8 mg/dL: FEMg about 7% with eGFR 98, renal wasting that nothing explains: warning with "
              "amiloride or triamterene (MG-CAUSE-TREAT), nephrology and genetic testing.",
              [card("warning", [], ["MG-LEVEL", "MG-FEMG", "MG-GENETIC", "MG-CAUSE-TREAT", "MG-NEPHRO-CONSULT",
                                    "MG-TREAT"],
                    detail_contains=["Chronic renal magnesium wasting (FEMg ",
                                     "amiloride or triamterene",
                                     "check potassium and kidney function"])])
    return s


def scenario_family_gitelman():
    """25. Omeprazole explains the low Mg; the mother has Gitelman syndrome (FamilyMemberHistory): MG-GENETIC."""
    pid = "hm-fam-01"
    s = Scenario("family-gitelman", patient(pid, "SYN-0025", "Tomas", "Okafor", "male", "1996-07-19", 30))
    t = days_before(2, "10:20")  # 2026-11-23
    s.add(
        observation(pid, "mg-1", "19123-9", 1.3, "mg/dL", t),
        observation(pid, "k-1", "2823-3", 3.8, "mmol/L", t),
        observation(pid, "ca-1", "17861-6", 9.3, "mg/dL", t),
        observation(pid, "cr-1", "2160-0", 0.9, "mg/dL", t),
        observation(pid, "egfr-1", "98979-8", 112, "mL/min/{1.73_m2}", t),
        medication_statement(pid, "ms-omeprazole", "207212", start="2024-06-03", route="oral",
                             dosage_text="20 mg by mouth once daily"),
        family_member_history(pid, "fmh-mother", "MTH", "mother", "gitelman"),
        # Unrelated to magnesium: not read.
        family_member_history(pid, "fmh-father", "FTH", "father", ("38341003", "Hypertensive disorder")),
    )
    s.request("patient-view",
              "Omeprazole since 2024-06, Mg 1.3 mg/dL; FamilyMemberHistory: mother with Gitelman syndrome: "
              "warning naming omeprazole, and genetic testing for the family history (MG-GENETIC). The mother's "
              "condition is not the patient's: no inherited tubulopathy, no amiloride.",
              [card("warning", ["omeprazole"], ["MG-LEVEL", "MG-CAUSE", "MG-GENETIC", "MG-TREAT"],
                    detail_contains=["family history of Gitelman syndrome (mother)"],
                    detail_lacks=["known inherited tubulopathy", "Chronic renal magnesium wasting"],
                    suggestions_lack=["amiloride"])])
    return s


def scenario_family_history_normal():
    """26. Normal Mg and a brother with Bartter syndrome: no card (a family history alone is no concern)."""
    pid = "hm-fam-02"
    s = Scenario("family-history-normal", patient(pid, "SYN-0026", "Leah", "Moreau", "female", "1988-12-01", 37))
    s.add(
        observation(pid, "mg-1", "19123-9", 2.0, "mg/dL", days_before(20, "09:00")),
        family_member_history(pid, "fmh-brother", "BRO", "brother", "bartter"),
    )
    s.request("patient-view", "Mg 2.0 mg/dL, no medications; brother with Bartter syndrome: no card.", [])
    return s


def scenario_dka_insulin():
    """20. DKA (E10.10) on an insulin infusion recorded as text only; Mg 1.3 mg/dL: insulin is a cause."""
    pid = "hm-dka-01"
    s = Scenario("dka-insulin", patient(pid, "SYN-0020", "Jonah", "Petrakis", "male", "2007-04-22", 19))
    t = days_before(0, "04:00")  # 2026-11-25
    enc = encounter_inpatient(pid, "enc-1", days_before(1, "22:10"))
    s.encounter_id = enc["id"]
    s.add(
        enc,
        observation(pid, "mg-1", "19123-9", 1.3, "mg/dL", t),
        observation(pid, "k-1", "2823-3", 3.6, "mmol/L", t),
        observation(pid, "ca-1", "17861-6", 8.9, "mg/dL", t),
        observation(pid, "phos-1", "2777-1", 2.2, "mg/dL", t),
        observation(pid, "glu-1", "2345-7", 248, "mg/dL", t),
        observation(pid, "cr-1", "2160-0", 1.1, "mg/dL", t),
        observation(pid, "egfr-1", "98979-8", 96, "mL/min/{1.73_m2}", t),
        observation(pid, "wt-1", "29463-7", 68, "kg", days_before(1, "22:30")),
        condition(pid, "cond-dka", "dka-type1", onset=days_before(1, "22:30"),
                  category="encounter-diagnosis"),
        # Insulin as most EHR infusion records carry it: free text, no code (matched by name).
        medication_statement(pid, "ms-insulin", text_only="insulin regular IV infusion",
                             start=days_before(1, "23:00"), route="iv",
                             dosage_text="0.1 units/kg/h IV, titrated to glucose",
                             date_asserted=days_before(1, "23:00")),
    )
    s.request("patient-view",
              "Inpatient DKA (E10.10) on an insulin infusion (MedicationStatement text only, no code); Mg "
              "1.3 mg/dL today: warning naming insulin (a cause only while DKA is treated).",
              [card("warning", ["insulin"], ["MG-LEVEL", "MG-CAUSE", "MG-TREAT"],
                    detail_contains=["Contributing condition: diabetic ketoacidosis"])])
    return s


def scenario_ckd5_diagnosis():
    """21. CKD stage 5 (N18.5) on the problem list, no creatinine or eGFR; chlorthalidone, Mg 1.3 mg/dL."""
    pid = "hm-ckd5-01"
    s = Scenario("ckd5-diagnosis",
                 patient(pid, "SYN-0021", "Ingrid", "Olawale", "female", "1949-03-27", 77))
    t = days_before(4, "09:50")  # 2026-11-21
    s.add(
        observation(pid, "mg-1", "19123-9", 1.3, "mg/dL", t),
        observation(pid, "k-1", "2823-3", 4.8, "mmol/L", t),
        observation(pid, "ca-1", "17861-6", 8.7, "mg/dL", t),
        medication_statement(pid, "ms-chlorthalidone", "197499", start="2023-01-15", route="oral",
                             dosage_text="25 mg by mouth once daily"),
        condition(pid, "cond-ckd5", "ckd5", onset="2024-11-05"),
    )
    s.request("patient-view",
              "Chlorthalidone since 2023-01; Mg 1.3 mg/dL; CKD stage 5 (N18.5) on the problem list and no "
              "creatinine or eGFR: warning naming chlorthalidone with the replacement doses halved.",
              [card("warning", ["chlorthalidone"], ["MG-LEVEL", "MG-CAUSE", "MG-RENAL", "MG-TREAT"],
                    detail_contains=["Doses halved for eGFR below 30"])])
    return s


def scenario_resolved_conditions():
    """22. Atrial fibrillation resolved in 2023 (not in the prefetch), Mg 2.1 mg/dL: no card."""
    pid = "hm-resolved-01"
    s = Scenario("resolved-conditions",
                 patient(pid, "SYN-0022", "Victor", "Lindgren", "male", "1971-08-08", 55))
    t = days_before(5, "08:30")  # 2026-11-20
    s.add(
        observation(pid, "mg-1", "19123-9", 2.1, "mg/dL", t),
        observation(pid, "k-1", "2823-3", 4.4, "mmol/L", t),
        observation(pid, "cr-1", "2160-0", 1.0, "mg/dL", t),
        observation(pid, "egfr-1", "98979-8", 88, "mL/min/{1.73_m2}", t),
        condition(pid, "cond-af", "atrial-fibrillation", onset="2023-02-10", clinical_status="resolved",
                  abatement="2023-03-01"),
    )
    s.request("patient-view",
              "Atrial fibrillation resolved in 2023-03 (filtered out by the clinical-status search, so the "
              "conditions key is an empty searchset); Mg 2.1 mg/dL: no card.", [])
    return s


def scenario_already_on_magnesium():
    """23. Magnesium oxide since 2026-10 and pantoprazole; Mg 1.35 mg/dL: told it is already given."""
    pid = "hm-mgox-01"
    s = Scenario("already-on-magnesium",
                 patient(pid, "SYN-0023", "Carla", "Bianchi", "female", "1963-05-05", 63))
    t = days_before(2, "10:10")  # 2026-11-23
    s.add(
        observation(pid, "mg-1", "19123-9", 1.35, "mg/dL", t),
        observation(pid, "k-1", "2823-3", 3.9, "mmol/L", t),
        observation(pid, "ca-1", "17861-6", 9.1, "mg/dL", t),
        observation(pid, "cr-1", "2160-0", 0.8, "mg/dL", t),
        observation(pid, "egfr-1", "98979-8", 82, "mL/min/{1.73_m2}", t),
        medication_statement(pid, "ms-pantoprazole", "314200", start="2022-08-01", route="oral",
                             dosage_text="40 mg by mouth once daily"),
        medication_statement(pid, "ms-magox", "198741", start="2026-10", route="oral",
                             dosage_text="400 mg by mouth twice daily"),
    )
    s.request("patient-view",
              "Pantoprazole since 2022-08 and magnesium oxide 400 mg since 2026-10; Mg 1.35 mg/dL: warning "
              "naming pantoprazole that says magnesium is already being given (review dose and adherence "
              "rather than start another supplement).",
              [card("warning", ["pantoprazole"], ["MG-LEVEL", "MG-CAUSE", "MG-TREAT", "MG-RECHECK"],
                    detail_contains=["Already receiving magnesium"])])
    return s


# --- EHR dialects: Epic- and Oracle Health (Cerner)-shaped resources (issue 15, item 6) --------------------------
# Shapes only, never text or identifiers: every code, id, name and OID-code below is made up, and the OIDs of Epic's
# generic (sandbox) root 1.2.840.114350.1.13.0.1 are used as illustrative system URIs. Sources per scenario
# docstring and in DIALECTS.md.

V3_INTERP_SYS = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
INTERPRETATIONS = {"N": "Normal", "L": "Low", "LL": "Critical low", "H": "High", "HH": "Critical high",
                   "AA": "Critical abnormal"}
DATA_ABSENT_SYS = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
NDC_SYS = "http://hl7.org/fhir/sid/ndc"
REFERENCE_RANGE_MEANING_SYS = "http://terminology.hl7.org/CodeSystem/referencerange-meaning"
COURSE_OF_THERAPY_SYS = "http://terminology.hl7.org/CodeSystem/medicationrequest-course-of-therapy"
COURSE_OF_THERAPY = {"continuous": "Continuous long term therapy", "acute": "Short course (acute) therapy"}
PERFORMER_FUNCTION_URL = "http://hl7.org/fhir/StructureDefinition/event-performerFunction"
DOCTOR_DISPLAY = "Vantongeren, Iris, MD"

# Epic (illustrative OIDs under Epic's generic root; the code values are made up)
EPIC_LAB_COMPONENT_SYS = "urn:oid:1.2.840.114350.1.13.0.1.7.2.768282"      # lab result component ids
EPIC_ORDER_CATEGORY_SYS = "urn:oid:1.2.840.114350.1.13.0.1.7.10.798268.30"  # order type ("Lab")
EPIC_ORDER_SYS = "urn:oid:1.2.840.114350.1.13.0.1.7.2.798268"              # order (placer) ids
EPIC_MEDICATION_SYS = "urn:oid:1.2.840.114350.1.13.0.1.7.2.698288"         # medication record ids
EPIC_DOSE_FORM_SYS = "urn:oid:1.2.840.114350.1.13.0.1.7.4.698288.310"      # dose form
EPIC_ROUTE_SYS = "urn:oid:1.2.840.114350.1.13.0.1.7.4.798268.7025"         # administration route
EPIC_OUTCOME_SYS = "urn:oid:1.2.840.114350.1.13.0.1.7.2.657369"            # OperationOutcome issue codes
EPIC_DOSE_RATE_TYPE_SYS = "http://epic.com/CodeSystem/dose-rate-type"
EPIC_EXTENSION = "http://open.epic.com/FHIR/StructureDefinition/extension/"  # Epic's extension namespace
EPIC_COMPONENTS = {  # LOINC -> (made-up component id, local name as Epic prints it)
    "19123-9": ("9990101", "MAGNESIUM"),
    "2823-3": ("9990102", "POTASSIUM"),
    "2160-0": ("9990103", "CREATININE"),
    "98979-8": ("9990104", "EGFR (CKD-EPI 2021)"),
}
EPIC_RANGES = {"19123-9": (1.6, 2.6), "2823-3": (3.5, 5.1), "2160-0": (0.57, 1.11)}  # a lab's own ranges

# Oracle Health (Cerner) Millennium: a made-up tenant ("EHR source id") and made-up code values
CERNER_TENANT = "7c3e9a14-2b6d-4f80-a5c1-93d0e8b2f6a7"
CERNER_EXTENSION = "https://fhir-ehr.cerner.com/r4/StructureDefinition/"
CERNER_EVENT_CODES = {  # LOINC -> (made-up code set 72 clinical event code, display)
    "19123-9": ("999000101", "Magnesium Lvl"),
    "2823-3": ("999000102", "Potassium Lvl"),
    "2160-0": ("999000103", "Creatinine"),
}
CERNER_FLAGS = {"L": ("999000211", "LOW"), "N": ("999000214", "NORMAL"), "H": ("999000212", "HIGH")}  # code set 52
CERNER_RANGES = {"19123-9": (1.6, 2.3), "2823-3": (3.5, 5.1), "2160-0": (0.7, 1.3)}


def cerner_sys(path):
    return f"https://fhir.cerner.com/{CERNER_TENANT}/{path}"


def millis(instant):
    """2026-11-23T14:10:00Z -> 2026-11-23T14:10:00.000Z (Millennium writes milliseconds)."""
    return instant[:-1] + ".000Z"


def interpretation(code):
    """Observation.interpretation with one HL7 v3 ObservationInterpretation code."""
    return [{"coding": [{"system": V3_INTERP_SYS, "code": code, "display": INTERPRETATIONS[code]}],
             "text": INTERPRETATIONS[code]}]


def ucum(value, code):
    return {"value": value, "unit": UNITS[code], "system": UCUM_SYS, "code": code}


def epic_lab(pid, oid, loinc, value, unit_code, when, *, flag=None, order="9990001"):
    """A lab Observation as Epic's Observation.Search (Labs) (R4) answers: LOINC beside Epic's component code,
    the laboratory category beside Epic's own order-type category, issued, a range with text, v3 interpretation,
    basedOn and specimen references (logical here: the sample has no ServiceRequest or Specimen)."""
    component, local = EPIC_COMPONENTS[loinc]
    o = {
        "resourceType": "Observation",
        "id": f"{pid}-{oid}",
        "meta": meta(),
        "basedOn": [{"type": "ServiceRequest",
                     "identifier": {"use": "usual", "system": EPIC_ORDER_SYS, "value": order},
                     "display": "Lab order (synthetic)"}],
        "status": "final",
        "category": [
            {"coding": [{"system": OBS_CATEGORY_SYS, "code": "laboratory", "display": "Laboratory"}],
             "text": "Laboratory"},
            {"coding": [{"system": EPIC_ORDER_CATEGORY_SYS, "code": "Lab", "display": "Lab"}], "text": "Lab"},
        ],
        "code": {"coding": [{"system": LOINC_SYS, "code": loinc, "display": LOINC[loinc]},
                            {"system": EPIC_LAB_COMPONENT_SYS, "code": component, "display": local}],
                 "text": LOINC_TEXT[loinc]},
        "subject": {"reference": f"Patient/{pid}", "display": "(synthetic patient)"},
        "effectiveDateTime": when,
        "issued": plus_minutes(when, 95),
        "valueQuantity": ucum(value, unit_code),
    }
    if flag:
        o["interpretation"] = interpretation(flag)
    if loinc in EPIC_RANGES:
        low, high = EPIC_RANGES[loinc]
        o["referenceRange"] = [{"low": ucum(low, unit_code), "high": ucum(high, unit_code),
                                "text": f"{low} - {high} {UNITS[unit_code]}"}]
    elif loinc == "98979-8":
        o["referenceRange"] = [{"text": ">60"}]
    o["specimen"] = {"display": "Blood"}
    return o


def epic_medication_request(pid, rid, *, order_id, authored_on, medication, sig, patient_sig, dose,
                            course="continuous"):
    """An active community order as Epic's MedicationRequest.Search (Signed Medication Order) (R4) answers:
    date-only authoredOn, requester and recorder with display, courseOfTherapyType, a sig with timing, Epic's
    route (SNOMED CT beside Epic's route code) and method, doseAndRate typed by Epic's dose-rate-type, and
    dispenseRequest. The extension's id in Epic's namespace is illustrative."""
    value, unit, unit_code = dose
    mr = {
        "resourceType": "MedicationRequest",
        "id": f"{pid}-{rid}",
        "meta": meta(),
        "extension": [{"url": EPIC_EXTENSION + "order-class", "valueString": "Normal"}],  # illustrative
        "identifier": [{"use": "usual", "system": EPIC_ORDER_SYS, "value": order_id}],
        "status": "active",
        "intent": "order",
        "category": [{"coding": [{"system": MR_CATEGORY_SYS, "code": "community", "display": "Community"}],
                      "text": "Community"}],
        "reportedBoolean": False,
    }
    mr.update(medication)
    mr.update({
        "subject": {"reference": f"Patient/{pid}", "display": "(synthetic patient)"},
        "authoredOn": authored_on,
        "requester": {"reference": USER_ID, "type": "Practitioner", "display": DOCTOR_DISPLAY},
        "recorder": {"reference": USER_ID, "type": "Practitioner", "display": DOCTOR_DISPLAY},
        "courseOfTherapyType": {"coding": [{"system": COURSE_OF_THERAPY_SYS, "code": course,
                                            "display": COURSE_OF_THERAPY[course]}],
                                "text": COURSE_OF_THERAPY[course]},
        "dosageInstruction": [{
            "text": sig,
            "patientInstruction": patient_sig,
            "timing": {"repeat": {"boundsPeriod": {"start": authored_on}, "frequency": 1, "period": 1,
                                  "periodUnit": "d", "timeOfDay": ["09:00:00"]},
                       "code": {"text": "Daily"}},
            "asNeededBoolean": False,
            "route": {"coding": [{"system": SNOMED_SYS, "code": "260548002", "display": "Oral (qualifier value)"},
                                 {"system": EPIC_ROUTE_SYS, "code": "15", "display": "Oral"}],
                      "text": "Oral"},
            "method": {"coding": [{"system": SNOMED_SYS, "code": "419652001", "display": "Take"}], "text": "Take"},
            "doseAndRate": [
                {"type": {"coding": [{"system": EPIC_DOSE_RATE_TYPE_SYS, "code": kind, "display": kind}],
                          "text": kind},
                 "doseQuantity": {"value": v, "unit": u, "system": UCUM_SYS, "code": c}}
                for kind, (v, u, c) in (("calculated", (value, unit, unit_code)),
                                        ("admin-amount", (1, "capsule" if "capsule" in sig else "tablet",
                                                          "{capsule}" if "capsule" in sig else "{tbl}")),
                                        ("ordered", (value, unit, unit_code)))],
        }],
        "dispenseRequest": {"validityPeriod": {"start": authored_on}, "numberOfRepeatsAllowed": 3,
                            "quantity": {"value": 90, "unit": "capsule" if "capsule" in sig else "tablet"},
                            "expectedSupplyDuration": {"value": 90, "unit": "Day", "system": UCUM_SYS,
                                                       "code": "d"}},
    })
    return mr


def epic_medication(pid, mid, *, record_id, rxnorm_codes, text, form=("TABS", "tablet")):
    """A Medication as Epic answers it: its record id, RxNorm codes without display (product and ingredient)."""
    return {
        "resourceType": "Medication",
        "id": f"{pid}-{mid}",
        "meta": meta(),
        "identifier": [{"use": "usual", "system": EPIC_MEDICATION_SYS, "value": record_id}],
        "code": {"coding": [{"system": RXNORM_SYS, "code": c} for c in rxnorm_codes], "text": text},
        "form": {"coding": [{"system": EPIC_DOSE_FORM_SYS, "code": form[0], "display": form[1]}],
                 "text": form[1]},
    }


def epic_search_answers(prefetch):
    """Epic puts an OperationOutcome (search.mode "outcome") into a search answer that found nothing, in place of
    an empty entry list. The issue code is illustrative; the text is ours."""
    for value in prefetch.values():
        if value and value.get("resourceType") == "Bundle" and not value.get("entry"):
            value["entry"] = [{
                "resource": {"resourceType": "OperationOutcome", "meta": meta(), "issue": [{
                    "severity": "warning", "code": "processing",
                    "details": {"coding": [{"system": EPIC_OUTCOME_SYS, "code": "4101",
                                            "display": "No results for this search"}],
                                "text": "No results for this search"}}]},
                "search": {"mode": "outcome"},
            }]


def cerner_lab(pid, oid, loinc, value, unit_code, when, *, flag):
    """A lab Observation as Millennium's R4 Observation answers: the code set 72 clinical event code first
    (userSelected) and LOINC beside it without display, one laboratory category, milliseconds in the times,
    a performer with its function, code set 52 beside v3 in interpretation, a typed low/high range."""
    event, display = CERNER_EVENT_CODES[loinc]
    flag_code, flag_display = CERNER_FLAGS[flag]
    low, high = CERNER_RANGES[loinc]
    return {
        "resourceType": "Observation",
        "id": f"L-{pid}-{oid}",
        "meta": meta(),
        "identifier": [{"system": "https://fhir.cerner.com/ceuuid", "value": f"CE-synthetic-{pid}-{oid}"}],
        "status": "final",
        "category": [{"coding": [{"system": OBS_CATEGORY_SYS, "code": "laboratory", "display": "Laboratory"}],
                      "text": "Laboratory"}],
        "code": {"coding": [{"system": cerner_sys("codeSet/72"), "code": event, "display": display,
                             "userSelected": True},
                            {"system": LOINC_SYS, "code": loinc}],
                 "text": display},
        "subject": {"reference": f"Patient/{pid}"},
        "effectiveDateTime": millis(when),
        "issued": millis(plus_minutes(when, 40)),
        "performer": [{"extension": [{"url": PERFORMER_FUNCTION_URL, "valueCodeableConcept": {
                           "coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationType",
                                       "code": "LA", "display": "legal authenticator"}],
                           "text": "legal authenticator"}}],
                       "reference": USER_ID, "display": DOCTOR_DISPLAY}],
        "valueQuantity": ucum(value, unit_code),
        "interpretation": [{"coding": [{"system": cerner_sys("codeSet/52"), "code": flag_code,
                                        "display": flag_display, "userSelected": True},
                                       {"system": V3_INTERP_SYS, "code": flag, "display": INTERPRETATIONS[flag]}],
                            "text": flag_display}],
        "referenceRange": [{"low": ucum(low, unit_code), "high": ucum(high, unit_code),
                            "type": {"coding": [{"system": REFERENCE_RANGE_MEANING_SYS, "code": "normal",
                                                 "display": "Normal Range"}],
                                     "text": "Normal Range"}}],
    }


def cerner_medication_request(pid, rid, rxcui, *, synonym, synonym_display, text, authored_on, sig, patient_sig):
    """An active order as Millennium's R4 MedicationRequest answers: RxNorm (Cerner capitalises the name) beside the
    order-catalog synonym, reportedBoolean false, two categories, requester with display, courseOfTherapyType with
    code set 4009 beside HL7, a sig with patientInstruction, code set 4003 and 4001 beside standard timing and route
    codes, Cerner's documented clinical-instruction and pharmacy-verification-status extensions, and a validity
    period. Offsets in the times, as Millennium writes them."""
    return {
        "resourceType": "MedicationRequest",
        "id": f"{pid}-{rid}",
        "meta": meta(),
        "extension": [{"url": CERNER_EXTENSION + "pharmacy-verification-status",
                       "valueCodeableConcept": {"text": "Does not need pharmacy verification"}}],
        "status": "active",
        "intent": "order",
        "category": [
            {"coding": [{"system": MR_CATEGORY_SYS, "code": "community", "display": "Community",
                         "userSelected": False}]},
            {"coding": [{"system": MR_CATEGORY_SYS, "code": "discharge", "display": "Discharge",
                         "userSelected": False}]},
        ],
        "reportedBoolean": False,
        "medicationCodeableConcept": {
            "coding": [{"system": RXNORM_SYS, "code": rxcui, "display": RXNORM[rxcui][0].upper() + RXNORM[rxcui][1:],
                        "userSelected": False},
                       {"system": cerner_sys("synonym"), "code": synonym, "display": synonym_display,
                        "userSelected": True}],
            "text": text},
        "subject": {"reference": f"Patient/{pid}", "display": "(synthetic patient)"},
        "authoredOn": authored_on,
        "requester": {"reference": USER_ID, "display": DOCTOR_DISPLAY},
        "courseOfTherapyType": {"coding": [
            {"system": cerner_sys("codeSet/4009"), "code": "999002338", "display": "Soft Stop"},
            {"system": COURSE_OF_THERAPY_SYS, "code": "continuous", "display": COURSE_OF_THERAPY["continuous"]}],
            "text": "Maintenance"},
        "dosageInstruction": [{
            "extension": [{"url": CERNER_EXTENSION + "clinical-instruction", "valueString": sig}],
            "text": sig,
            "patientInstruction": patient_sig,
            "timing": {"repeat": {"boundsPeriod": {"start": authored_on}},
                       "code": {"coding": [{"system": cerner_sys("codeSet/4003"), "code": "999000696",
                                            "display": "Daily"},
                                           {"system": "http://terminology.hl7.org/CodeSystem/v3-GTSAbbreviation",
                                            "code": "QD", "display": "QD"}],
                                "text": "Daily"}},
            "route": {"coding": [{"system": cerner_sys("codeSet/4001"), "code": "999318185", "display": "Oral",
                                  "userSelected": True},
                                 {"system": SNOMED_SYS, "code": "26643006", "display": "Oral route (qualifier value)",
                                  "userSelected": False}],
                      "text": "Oral"},
            "doseAndRate": [{"doseQuantity": {"value": 1, "unit": "tab", "system": UCUM_SYS, "code": "{tbl}"}}],
        }],
        "dispenseRequest": {"validityPeriod": {"start": authored_on}, "numberOfRepeatsAllowed": 3,
                            "quantity": {"value": 30, "unit": "tab", "system": UCUM_SYS, "code": "{tbl}"}},
    }


def scenario_epic_low_mg():
    """27. Epic-shaped: Mg 1.3 mg/dL (L) in Epic's lab shape; omeprazole (coded inline: RxNorm product and
    ingredient codes without display, beside Epic's medication code) and furosemide (medicationReference to an
    Epic-shaped Medication), both active community orders; empty searches carry Epic's OperationOutcome.
    Sources: https://fhir.epic.com/Specifications?api=999 (Observation.Search (Labs) (R4)),
    https://fhir.epic.com/Specifications?api=997 (MedicationRequest.Search (Signed Medication Order) (R4)),
    corroborated by a public copy of a sandbox answer: https://github.com/medplum/medplum/blob/main/
    examples/medplum-demo-bots/src/epic/epic-query-patient-test-data.ts (shapes only)."""
    pid = "hm-epic-01"
    s = Scenario("epic-low-mg", patient(pid, "SYN-0027", "Marisol", "Vandermeer", "female", "1958-02-14", 68))
    s.dialect = "epic"
    t = days_before(3, "07:50")  # 2026-11-22
    furosemide = epic_medication(pid, "med-furosemide", record_id="9990313", rxnorm_codes=["313988", "4603"],
                                 text="furosemide 40 MG tablet")
    s.add(
        furosemide,
        epic_lab(pid, "mg-1", "19123-9", 1.3, "mg/dL", t, flag="L"),
        epic_lab(pid, "k-1", "2823-3", 4.0, "mmol/L", t),
        epic_lab(pid, "cr-1", "2160-0", 0.8, "mg/dL", t),
        epic_lab(pid, "egfr-1", "98979-8", 79, "mL/min/{1.73_m2}", t),
        epic_medication_request(
            pid, "mr-omeprazole", order_id="9990401", authored_on="2024-05-14",
            medication={"medicationCodeableConcept": {
                "coding": [{"system": RXNORM_SYS, "code": "198051"}, {"system": RXNORM_SYS, "code": "7646"},
                           {"system": EPIC_MEDICATION_SYS, "code": "9990198",
                            "display": "omeprazole 20 MG DR capsule"}],
                "text": "omeprazole 20 MG DR capsule"}},
            sig="Take 1 capsule (20 mg total) by mouth daily before breakfast.",
            patient_sig="Take 1 capsule by mouth every morning before breakfast.", dose=(20, "mg", "mg")),
        epic_medication_request(
            pid, "mr-furosemide", order_id="9990402", authored_on="2025-09-03",
            medication={"medicationReference": {"reference": ref(furosemide),
                                                "display": "furosemide 40 MG tablet"}},
            sig="Take 1 tablet (40 mg total) by mouth daily.",
            patient_sig="Take 1 tablet by mouth once a day.", dose=(40, "mg", "mg")),
    )
    s.request("patient-view",
              "Epic-shaped record: Mg 1.3 mg/dL (flag L, lab range 1.6-2.6) three days ago; omeprazole since 2024-05 "
              "(RxNorm codes without display beside Epic's medication code) and furosemide since 2025-09 (by "
              "medicationReference): warning naming both.",
              [card("warning", ["omeprazole", "furosemide"], ["MG-LEVEL", "MG-CAUSE", "MG-TREAT"])])
    return s


def scenario_epic_normal():
    """28. Epic-shaped, normal: Mg 2.0 mg/dL (no flag) ten days ago and an active omeprazole order: no card.
    Sources as epic-low-mg."""
    pid = "hm-epic-02"
    s = Scenario("epic-normal", patient(pid, "SYN-0028", "Teodor", "Brannigan", "male", "1969-07-30", 57))
    s.dialect = "epic"
    t = days_before(10, "08:15")  # 2026-11-15
    s.add(
        epic_lab(pid, "mg-1", "19123-9", 2.0, "mg/dL", t, order="9990011"),
        epic_lab(pid, "cr-1", "2160-0", 0.9, "mg/dL", t, order="9990011"),
        epic_medication_request(
            pid, "mr-omeprazole", order_id="9990411", authored_on="2025-01-20",
            medication={"medicationCodeableConcept": {
                "coding": [{"system": RXNORM_SYS, "code": "198051"}, {"system": RXNORM_SYS, "code": "7646"},
                           {"system": EPIC_MEDICATION_SYS, "code": "9990198",
                            "display": "omeprazole 20 MG DR capsule"}],
                "text": "omeprazole 20 MG DR capsule"}},
            sig="Take 1 capsule (20 mg total) by mouth daily before breakfast.",
            patient_sig="Take 1 capsule by mouth every morning before breakfast.", dose=(20, "mg", "mg")),
    )
    s.request("patient-view",
              "Epic-shaped record: Mg 2.0 mg/dL ten days ago, omeprazole since 2025-01: no card (no noise).", [])
    return s


def scenario_cerner_low_mg():
    """29. Oracle Health (Cerner)-shaped: Mg 1.3 mg/dL (code set 72 beside LOINC, flag LOW/L) and an active
    hydrochlorothiazide order coded with RxNorm beside the order-catalog synonym (tall-man "hydroCHLOROthiazide").
    Sources: https://fhir.cerner.com/millennium/r4/clinical/diagnostics/observation/ and
    https://fhir.cerner.com/millennium/r4/clinical/medications/medication-request/ (their example JSON is in
    https://github.com/cerner/fhir.cerner.com, lib/resources/example_json/r4_examples_observation.rb and
    r4_examples_medication_request.rb); code sets: https://fhir.cerner.com/millennium/r4/proprietary-codes-and-systems/
    (mirrored at https://docs.oracle.com/en/industries/health/millennium-platform-apis/)."""
    pid = "hm-cerner-01"
    s = Scenario("cerner-low-mg", patient(pid, "SYN-0029", "Philippa", "Oyelowo-Hart", "female", "1955-11-02", 71))
    t = days_before(2, "14:10")  # 2026-11-23
    s.add(
        cerner_lab(pid, "mg-1", "19123-9", 1.3, "mg/dL", t, flag="L"),
        cerner_lab(pid, "k-1", "2823-3", 3.9, "mmol/L", t, flag="N"),
        cerner_lab(pid, "cr-1", "2160-0", 0.9, "mg/dL", t, flag="N"),
        cerner_medication_request(
            pid, "mr-hctz", "310798", synonym="999276230", synonym_display="hydroCHLOROthiazide 25 mg oral tablet",
            text="hydroCHLOROthiazide (hydroCHLOROthiazide 25 mg oral tablet)",
            authored_on="2023-03-08T10:15:00.000-06:00", sig="25 mg = 1 tab, Oral, Daily",
            patient_sig="Take 1 tablet by mouth once a day. Refills: 3."),
    )
    s.request("patient-view",
              "Cerner-shaped record: Mg 1.3 mg/dL (LOW) two days ago; hydrochlorothiazide since 2023-03 (RxNorm "
              "beside the Millennium synonym): warning naming hydrochlorothiazide.",
              [card("warning", ["hydrochlorothiazide"], ["MG-LEVEL", "MG-CAUSE", "MG-TREAT"])])
    return s


def scenario_cerner_normal():
    """30. Oracle Health (Cerner)-shaped, normal: Mg 2.1 mg/dL (NORMAL/N) and an active hydrochlorothiazide order:
    no card. Sources as cerner-low-mg."""
    pid = "hm-cerner-02"
    s = Scenario("cerner-normal", patient(pid, "SYN-0030", "Augustin", "Feldkamp", "male", "1972-04-09", 54))
    t = days_before(6, "15:40")  # 2026-11-19
    s.add(
        cerner_lab(pid, "mg-1", "19123-9", 2.1, "mg/dL", t, flag="N"),
        cerner_lab(pid, "cr-1", "2160-0", 1.0, "mg/dL", t, flag="N"),
        cerner_medication_request(
            pid, "mr-hctz", "310798", synonym="999276230", synonym_display="hydroCHLOROthiazide 25 mg oral tablet",
            text="hydroCHLOROthiazide (hydroCHLOROthiazide 25 mg oral tablet)",
            authored_on="2024-06-11T09:05:00.000-05:00", sig="25 mg = 1 tab, Oral, Daily",
            patient_sig="Take 1 tablet by mouth once a day. Refills: 3."),
    )
    s.request("patient-view",
              "Cerner-shaped record: Mg 2.1 mg/dL six days ago, hydrochlorothiazide since 2024-06: no card "
              "(no noise).", [])
    return s


# --- The other shapes of issue 15 (item 6): unusable, odd or partial records ------------------------------------
# Written to the cards the service gives once issue 15 is done (the texts below are the ones it will print).

UNUSABLE_PHRASES = ["could not be used", "Recheck or read the lab report"]
NO_DOSE_FROM_UNUSABLE = ["Magnesium sulfate", "Oral sustained-release"]


def basic_labs(pid, t, *, k=4.1, cr=0.9, egfr=85):
    return [observation(pid, "k-1", "2823-3", k, "mmol/L", t),
            observation(pid, "cr-1", "2160-0", cr, "mg/dL", t),
            observation(pid, "egfr-1", "98979-8", egfr, "mL/min/{1.73_m2}", t)]


def scenario_mg_text_flagged_low():
    """31. Issue 15 item 6 (unusable newest Mg): valueString "hemolyzed, see report" flagged L, nothing older."""
    pid = "hm-mgtext-01"
    s = Scenario("mg-text-flagged-low",
                 patient(pid, "SYN-0031", "Henrietta", "Quist", "female", "1950-09-09", 76))
    t = days_before(1, "08:20")  # 2026-11-24
    mg = observation(pid, "mg-1", "19123-9", 0, "mg/dL", t)
    del mg["valueQuantity"]
    mg["valueString"] = "hemolyzed, see report"
    mg["interpretation"] = interpretation("L")
    s.add(mg, *basic_labs(pid, t))
    s.request("patient-view",
              "Only serum Mg is text (\"hemolyzed, see report\") flagged L by the lab: warning that it could not be "
              "used, recheck or read the report; no dose from an unusable value.",
              [card("warning", [], ["MG-UNIT"], detail_contains=UNUSABLE_PHRASES,
                    detail_lacks=["No serum magnesium result on record"], suggestions_lack=NO_DOSE_FROM_UNUSABLE)])
    return s


def scenario_mg_no_unit():
    """32. Issue 15 item 6 (unusable newest Mg): 1.3 with no unit at all, no flag, newer than a normal 2.0 mg/dL.
    Before issue 15 this patient got no card: the older normal value hid the unusable newer one (a silent miss)."""
    pid = "hm-nounit-01"
    s = Scenario("mg-no-unit", patient(pid, "SYN-0032", "Lorcan", "Adeyemi", "male", "1983-01-17", 43))
    t = days_before(2, "09:05")  # 2026-11-23
    mg = observation(pid, "mg-1", "19123-9", 1.3, "mg/dL", t)
    mg["valueQuantity"] = {"value": 1.3}
    s.add(mg, observation(pid, "mg-2", "19123-9", 2.0, "mg/dL", days_before(20, "08:40")), *basic_labs(pid, t))
    s.request("patient-view",
              "Newest serum Mg 1.3 with no unit and no flag (two days ago), older Mg 2.0 mg/dL (20 days ago): info "
              "card that the newest could not be used; the older normal value does not silence it.",
              [card("info", [], ["MG-UNIT"], detail_contains=UNUSABLE_PHRASES,
                    detail_lacks=["No serum magnesium result on record"], suggestions_lack=NO_DOSE_FROM_UNUSABLE)])
    return s


def scenario_mg_absent_critical():
    """33. Issue 15 item 6 (unusable newest Mg): no value, dataAbsentReason "error", flagged LL (shape of Cerner's
    documented dataAbsentReason example)."""
    pid = "hm-absent-01"
    s = Scenario("mg-absent-critical",
                 patient(pid, "SYN-0033", "Solveig", "Marchbank", "female", "1966-12-24", 59))
    t = days_before(0, "06:30")  # 2026-11-25
    mg = observation(pid, "mg-1", "19123-9", 0, "mg/dL", t)
    del mg["valueQuantity"]
    mg["interpretation"] = interpretation("LL")
    mg["dataAbsentReason"] = {"coding": [{"system": DATA_ABSENT_SYS, "code": "error", "display": "Error"}],
                              "text": "Error"}
    s.add(mg, *basic_labs(pid, t))
    s.request("patient-view",
              "Serum Mg without a value (dataAbsentReason error) but flagged LL: critical card that it could not "
              "be used; recheck or read the report; no dose.",
              [card("critical", [], ["MG-UNIT"], detail_contains=UNUSABLE_PHRASES,
                    detail_lacks=["No serum magnesium result on record"], suggestions_lack=NO_DOSE_FROM_UNUSABLE)])
    return s


def scenario_mg_value_string_number():
    """34. Issue 15 item 6: valueString "1,3 mg/dl" (comma decimal, lower-case unit) read as 1.3 mg/dL; omeprazole."""
    pid = "hm-valstr-01"
    s = Scenario("mg-value-string-number",
                 patient(pid, "SYN-0034", "Cormac", "Ilunga", "male", "1961-06-06", 65))
    t = days_before(2, "10:45")  # 2026-11-23
    mg = observation(pid, "mg-1", "19123-9", 0, "mg/dL", t)
    del mg["valueQuantity"]
    mg["valueString"] = "1,3 mg/dl"
    s.add(mg, *basic_labs(pid, t),
          medication_statement(pid, "ms-omeprazole", "207212", start="2023-09-04", route="oral",
                               dosage_text="20 mg by mouth once daily"))
    s.request("patient-view",
              "Serum Mg sent as the text \"1,3 mg/dl\": read as 1.3 mg/dL; omeprazole since 2023-09: the usual "
              "low-Mg warning naming omeprazole.",
              [card("warning", ["omeprazole"], ["MG-LEVEL", "MG-CAUSE", "MG-TREAT"], detail_contains=["1.3 mg/dL"])])
    return s


def scenario_mg_unit_code_mismatch():
    """35. Issue 15 item 6: valueQuantity unit "mmol/L" with a wrong code "mmol" and no system: read as mmol/L."""
    pid = "hm-unitcode-01"
    s = Scenario("mg-unit-code-mismatch",
                 patient(pid, "SYN-0035", "Beatrix", "Okonjo", "female", "1974-03-03", 52))
    t = days_before(1, "09:30")  # 2026-11-24
    mg = observation(pid, "mg-1", "2601-3", 0.55, "mmol/L", t)
    mg["valueQuantity"] = {"value": 0.55, "unit": "mmol/L", "code": "mmol"}
    s.add(mg, *basic_labs(pid, t))
    s.request("patient-view",
              "Serum Mg 0.55 with unit text mmol/L but UCUM code \"mmol\" and no system: read by its unit text as "
              "0.55 mmol/L (1.34 mg/dL), low: warning.",
              [card("warning", [], ["MG-LEVEL", "MG-TREAT"], detail_contains=["0.55 mmol/L"])])
    return s


def scenario_unidentified_medication():
    """36. Issue 15 item 6: a MedicationStatement known only by an NDC code (made up, no display, no text)."""
    pid = "hm-ndc-01"
    s = Scenario("unidentified-medication",
                 patient(pid, "SYN-0036", "Evander", "Kowalczyk", "male", "1957-10-10", 69))
    t = days_before(3, "08:10")  # 2026-11-22
    ms = medication_statement(pid, "ms-ndc", text_only="x", start="2025-04-01")
    ms["medicationCodeableConcept"] = {"coding": [{"system": NDC_SYS, "code": "00000-0000-00"}]}
    s.add(observation(pid, "mg-1", "19123-9", 1.3, "mg/dL", t), *basic_labs(pid, t), ms)
    s.request("patient-view",
              "Mg 1.3 mg/dL; the only medication is coded by an NDC the service cannot identify: the card says 1 "
              "medication could not be checked (with its code), not that no cause is on record.",
              [card("warning", [], ["MG-LEVEL", "MG-TREAT"],
                    detail_contains=["1 medication could not be checked", "00000-0000-00"],
                    detail_lacks=["No medication or condition on record is a known cause"])])
    return s


def scenario_stopped_diuretic():
    """37. Issue 15 item 6: furosemide statement still "active" but its effectivePeriod ended 30 days ago."""
    pid = "hm-stopped-01"
    s = Scenario("stopped-diuretic", patient(pid, "SYN-0037", "Rosamund", "Takeda", "female", "1963-08-19", 63))
    t = days_before(2, "08:55")  # 2026-11-23
    ms = medication_statement(pid, "ms-furosemide", "313988", start="2025-02-10", route="oral",
                              dosage_text="40 mg by mouth every morning")
    ms["effectivePeriod"]["end"] = days_before(30, "00:00")[:10]  # 2026-10-26
    s.add(observation(pid, "mg-1", "19123-9", 1.3, "mg/dL", t), *basic_labs(pid, t), ms)
    s.request("patient-view",
              "Mg 1.3 mg/dL; furosemide taken 2025-02-10 to 2026-10-26 (statement still active, period ended): "
              "furosemide is not a current cause; the card says it stopped, and offers no diuretic advice.",
              # No date in the phrase: MovedSamplesTest moves the request's dates, not this text.
              [card("warning", [], ["MG-LEVEL"],
                    detail_contains=["Recently stopped: furosemide (loop diuretic), stopped on "],
                    detail_lacks=["If the diuretic cannot be stopped", "Contributing medication: furosemide"])])
    return s


def scenario_mg_issued_only():
    """38. Issue 15 item 6: a serum Mg with no effective[x], only issued."""
    pid = "hm-issued-01"
    s = Scenario("mg-issued-only", patient(pid, "SYN-0038", "Ignatius", "Farrow", "male", "1979-05-05", 47))
    t = days_before(2, "09:40")  # 2026-11-23
    mg = observation(pid, "mg-1", "19123-9", 1.3, "mg/dL", t)
    del mg["effectiveDateTime"]
    mg["issued"] = t
    s.add(mg, *basic_labs(pid, t))
    s.request("patient-view",
              "Serum Mg 1.3 mg/dL with no effective time, only issued 2026-11-23: the card dates it by the report "
              "(\"reported 2026-11-23\").",
              # No date in the phrase: MovedSamplesTest moves the request's dates, not this text.
              [card("warning", [], ["MG-LEVEL"], detail_contains=["Serum magnesium 1.3 mg/dL reported "])])
    return s


def scenario_provisional_alcohol():
    """39. Issue 15 item 6: alcohol use disorder (F10.20) only provisional."""
    pid = "hm-audprov-01"
    s = Scenario("provisional-alcohol", patient(pid, "SYN-0039", "Declan", "Mbeki", "male", "1980-02-02", 46))
    t = days_before(1, "11:00")  # 2026-11-24
    s.add(observation(pid, "mg-1", "19123-9", 1.3, "mg/dL", t), *basic_labs(pid, t),
          condition(pid, "cond-aud", "alcohol-use-disorder-icd", onset="2026-11-10", verification="provisional"))
    s.request("patient-view",
              "Mg 1.3 mg/dL; alcohol use disorder recorded as provisional: the card names it as possible.",
              [card("warning", [], ["MG-LEVEL", "MG-CAUSE"], detail_contains=["possible alcohol use disorder"],
                    detail_lacks=["Contributing condition: alcohol use disorder"])])
    return s


def scenario_refuted_alcohol():
    """40. Issue 15 item 6: alcohol use disorder (F10.20) refuted: it is no cause and is not mentioned."""
    pid = "hm-audref-01"
    s = Scenario("refuted-alcohol", patient(pid, "SYN-0040", "Oriana", "Lindholm", "female", "1985-11-30", 40))
    t = days_before(1, "11:20")  # 2026-11-24
    s.add(observation(pid, "mg-1", "19123-9", 1.3, "mg/dL", t), *basic_labs(pid, t),
          condition(pid, "cond-aud", "alcohol-use-disorder-icd", onset="2026-10-02", verification="refuted"))
    s.request("patient-view",
              "Mg 1.3 mg/dL; alcohol use disorder refuted: not a cause, not mentioned; nothing explains the low.",
              [card("warning", [], ["MG-LEVEL", "MG-CAUSE"],
                    detail_contains=["No medication or condition on record is a known cause"],
                    detail_lacks=["alcohol"])])
    return s


def scenario_outpatient_recheck():
    """41. Issue 15 item 6: an outpatient visit (Encounter class AMB) with Mg 1.3 mg/dL: oral replacement, recheck
    in 7 days."""
    pid = "hm-amb-01"
    s = Scenario("outpatient-recheck", patient(pid, "SYN-0041", "Thaddeus", "Nakamura", "male", "1970-01-21", 56))
    t = days_before(1, "10:15")  # 2026-11-24
    enc = encounter_ambulatory(pid, "enc-1", days_before(0, "09:30"))
    s.encounter_id = enc["id"]
    s.add(enc, observation(pid, "mg-1", "19123-9", 1.3, "mg/dL", t), *basic_labs(pid, t),
          medication_statement(pid, "ms-pantoprazole", "314200", start="2022-11-15", route="oral",
                               dosage_text="40 mg by mouth once daily"))
    s.request("patient-view",
              "Clinic visit (AMB), Mg 1.3 mg/dL, pantoprazole since 2022-11: oral replacement and a recheck in 7 "
              "days, never in 24 hours.",
              [card("warning", ["pantoprazole"], ["MG-LEVEL", "MG-CAUSE", "MG-TREAT"],
                    suggestions_contain=["Recheck serum magnesium in 7 days"], suggestions_lack=["24 hours"])])
    return s


SCENARIOS = [
    scenario_ppi_low_mg,
    scenario_loop_hypokalemia,
    scenario_digoxin_low_mg,
    scenario_severe_hypocalcemia,
    scenario_ckd4,
    scenario_child_weight,
    scenario_normal,
    scenario_meq_units,
    scenario_mg_per_l,
    scenario_ppi_monitoring,
    scenario_ophthalmic_only,
    scenario_high_mg_order,
    scenario_stale_low,
    scenario_entered_in_error,
    scenario_everything,
    scenario_afib_low_mg,
    scenario_long_qtc,
    scenario_alcohol,
    scenario_gitelman,
    scenario_dka_insulin,
    scenario_ckd5_diagnosis,
    scenario_resolved_conditions,
    scenario_already_on_magnesium,
    scenario_renal_wasting,
    scenario_family_gitelman,
    scenario_family_history_normal,
    scenario_epic_low_mg,
    scenario_epic_normal,
    scenario_cerner_low_mg,
    scenario_cerner_normal,
    scenario_mg_text_flagged_low,
    scenario_mg_no_unit,
    scenario_mg_absent_critical,
    scenario_mg_value_string_number,
    scenario_mg_unit_code_mismatch,
    scenario_unidentified_medication,
    scenario_stopped_diuretic,
    scenario_mg_issued_only,
    scenario_provisional_alcohol,
    scenario_refuted_alcohol,
    scenario_outpatient_recheck,
]


# --- Prefetch evaluation -----------------------------------------------------------------------

TOKEN_RE = re.compile(r"\{\{\s*context\.([A-Za-z]+)\s*\}\}")


def fill_tokens(template, context):
    """Replace {{context.x}} tokens; None if a token has no value in the context."""
    missing = [name for name in TOKEN_RE.findall(template) if name not in context]
    if missing:
        return None
    return TOKEN_RE.sub(lambda m: str(context[m.group(1)]), template)


def sort_date(resource):
    rt = resource["resourceType"]
    if rt == "Observation":
        return resource.get("effectiveDateTime") or resource.get("effectivePeriod", {}).get("start", "")
    if rt == "MedicationStatement":
        return resource.get("effectiveDateTime") or resource.get("effectivePeriod", {}).get("start", "")
    if rt == "MedicationRequest":
        return resource.get("authoredOn", "")
    return ""


def matches(resource, params):
    for name, value in params:
        if name in ("_sort", "_count"):
            continue
        if name == "patient":
            subject = (resource.get("subject") or resource.get("patient") or {}).get("reference")
            if subject != f"Patient/{value}":
                return False
        elif name == "code":
            wanted = {tuple(tok.split("|", 1)) for tok in value.split(",")}
            codings = {(c.get("system"), c.get("code"))
                       for c in resource.get("code", {}).get("coding", [])}
            if not wanted & codings:
                return False
        elif name == "status":
            if resource.get("status") not in value.split(","):
                return False
        elif name == "clinical-status":  # token search on Condition.clinicalStatus; comma = OR
            codes = {c.get("code") for c in resource.get("clinicalStatus", {}).get("coding", [])}
            if not codes & set(value.split(",")):
                return False
        else:
            raise ValueError(f"unsupported search parameter {name}")
    return True


def searchset(url, matched, included=()):
    bundle = {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": len(matched),
        "link": [{"relation": "self", "url": f"{FHIR_SERVER}/{url}"}],
    }
    entries = [{"fullUrl": f"{FHIR_SERVER}/{ref(r)}", "resource": r, "search": {"mode": "match"}}
               for r in matched]
    entries += [{"fullUrl": f"{FHIR_SERVER}/{ref(r)}", "resource": r, "search": {"mode": "include"}}
                for r in included]
    if entries:
        bundle["entry"] = entries
    return bundle


def evaluate_template(template, context, resources):
    url = fill_tokens(template, context)
    if url is None:
        return None  # token not resolvable (e.g. no encounterId): no data -> null
    if "?" not in url:  # instance read
        rtype, rid = url.split("/", 1)
        for r in resources:
            if r["resourceType"] == rtype and r["id"] == rid:
                return r
        return None
    rtype, query = url.split("?", 1)
    params = parse_qsl(query, keep_blank_values=True)
    pdict = dict(params)
    matched = [r for r in resources if r["resourceType"] == rtype and matches(r, params)]
    if pdict.get("_sort") == "-date":
        matched.sort(key=sort_date, reverse=True)  # stable: ties keep bundle order
    elif "_sort" in pdict:
        raise ValueError(f"unsupported _sort {pdict['_sort']}")
    total = len(matched)
    if "_count" in pdict:
        matched = matched[: int(pdict["_count"])]
    assert total == len(matched), f"{url}: more matches than _count; add paging links first"
    # Medications referenced by the matches (not contained) are returned as search includes,
    # as a server does for _include=<Type>:medication.
    included = []
    if rtype in ("MedicationStatement", "MedicationRequest"):
        for r in matched:
            reference = r.get("medicationReference", {}).get("reference", "")
            if reference.startswith("Medication/"):
                included += [m for m in resources if ref(m) == reference and m not in included]
    return searchset(url, matched, included)


def load_services():
    with open(SERVICES_FILE, encoding="utf-8") as f:
        return {svc["hook"]: svc for svc in json.load(f)["services"]}


def build_prefetch(service, context, resources):
    return {key: evaluate_template(tpl, context, resources)
            for key, tpl in service.get("prefetch", {}).items()}


# --- Output ------------------------------------------------------------------------------------

def transaction_bundle(resources):
    return {
        "resourceType": "Bundle",
        "type": "transaction",
        "entry": [{"fullUrl": ref(r), "resource": r, "request": {"method": "PUT", "url": ref(r)}}
                  for r in resources],
    }


def write_json(path, obj):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        json.dump(obj, f, indent=2, ensure_ascii=False)
        f.write("\n")


def generate():
    services = load_services()
    patients_dir, requests_dir = HERE / "patients", HERE / "requests"
    for d in (patients_dir, requests_dir):  # drop stale output of earlier runs
        if d.exists():
            for old in d.glob("*.json"):
                old.unlink()
    manifest = {"asOf": AS_OF, "requests": {}}
    for make in SCENARIOS:
        s = make()
        resources = s.all_resources()
        write_json(patients_dir / f"{s.slug}.json", transaction_bundle(resources))
        for suffix, hook, extra, description, cards in s.requests:
            name = f"{s.slug}.{suffix}.json"
            context = {"userId": USER_ID, "patientId": s.pid}
            if s.encounter_id:
                context["encounterId"] = s.encounter_id
            context.update(extra)
            request = {
                "hook": hook,
                "hookInstance": str(uuid.uuid5(HOOK_INSTANCE_NS, name)),
                "fhirServer": FHIR_SERVER,
                "context": context,
                "prefetch": build_prefetch(services[hook], context, resources),
            }
            if s.dialect == "epic":
                epic_search_answers(request["prefetch"])
            write_json(requests_dir / name, request)
            manifest["requests"][name] = {"description": description, "cards": cards}
    write_json(HERE / "expected.json", manifest)


# --- Validation --------------------------------------------------------------------------------

def terminology_pairs():
    """(system, code) -> set of names as written in terminology.md (first columns of its tables)."""
    pairs = {}
    if not TERMINOLOGY_FILE.exists():
        return None
    for line in TERMINOLOGY_FILE.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 2 and re.fullmatch(r"\d+(-\d)?", cells[0] or ""):
            pairs.setdefault(cells[0], set()).add(cells[1])
    return pairs


def terminology_conditions():
    """terminology.md's conditions table: (ICD-10-CM prefixes, SNOMED CT cell texts), or None."""
    if not TERMINOLOGY_FILE.exists():
        return None
    prefixes, snomed_cells, in_table = set(), [], False
    for line in TERMINOLOGY_FILE.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            in_table = line.startswith("## Conditions")
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not in_table or len(cells) < 3 or cells[0].startswith(("condition", "---")):
            continue
        prefixes.update(re.findall(r"\b[A-Z]\d{2}(?:\.\d+)?\b", cells[1]))
        snomed_cells.append(cells[2])
    return prefixes, snomed_cells


def check_conditions(obj, where, table, errors):
    """Condition codes: ICD-10-CM under a prefix of terminology.md, SNOMED CT with the name written there."""
    for node in walk(obj):
        if node.get("resourceType") != "Condition":
            continue
        for c in node.get("code", {}).get("coding", []):
            system, code, display = c.get("system"), c.get("code"), c.get("display")
            if system == ICD10CM_SYS:
                known = {v[0] for v in CONDITIONS.values() if v[0]}
                if code not in known:
                    errors.append(f"{where}: ICD-10-CM {code} not in CONDITIONS")
                if table is not None and not any(code.startswith(p) for p in table[0]):
                    errors.append(f"{where}: ICD-10-CM {code} under no prefix of terminology.md")
            elif system == SNOMED_SYS:
                known = {v[1] for v in CONDITIONS.values() if v[1]}
                if (code, display) not in known:
                    errors.append(f"{where}: SNOMED CT {code} {display!r} not in CONDITIONS")
                if table is not None and not any(f"{code} {display}" in cell for cell in table[1]):
                    errors.append(f"{where}: SNOMED CT {code} {display!r} not in terminology.md")
            else:
                errors.append(f"{where}: Condition coding system {system}")


def walk(obj):
    if isinstance(obj, dict):
        yield obj
        for v in obj.values():
            yield from walk(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from walk(v)


def terminology_ingredients():
    """RxNorm ingredient code -> ingredient name, from terminology.md's ingredient table, or None."""
    if not TERMINOLOGY_FILE.exists():
        return None
    found, in_table = {}, False
    for line in TERMINOLOGY_FILE.read_text(encoding="utf-8").splitlines():
        if line.startswith("| ingredient | RxCUI"):
            in_table = True
            continue
        if in_table and not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if in_table and len(cells) >= 2:
            m = re.match(r"(\d+)", cells[1])
            if m:
                found[m.group(1)] = cells[0]
    return found


def check_codes(obj, where, pairs, errors, ingredients=None):
    """LOINC and RxNorm codings: the code must be one terminology.md lists; a display, when sent, must be its name
    there. EHRs often send codings without a display (Epic's RxNorm lists, Cerner's LOINC beside code set 72), and
    Cerner capitalises RxNorm names ("Hydrochlorothiazide 25 MG Oral Tablet"): RxNorm names compare without case."""
    for node in walk(obj):
        system, code, display = node.get("system"), node.get("code"), node.get("display")
        if system == LOINC_SYS:
            if code not in LOINC:
                errors.append(f"{where}: LOINC {code} not in LOINC")
            elif display is not None and LOINC[code] != display:
                errors.append(f"{where}: LOINC {code} display {display!r}")
            if pairs is not None and (code not in pairs or (display is not None and display not in pairs[code])):
                errors.append(f"{where}: LOINC {code} {display!r} not in terminology.md")
        elif system == RXNORM_SYS:
            if code in RXNORM_INGREDIENTS:
                name = RXNORM_INGREDIENTS[code]
                if display is not None and display.lower() != name:
                    errors.append(f"{where}: RxNorm ingredient {code} display {display!r}")
                if ingredients is not None and ingredients.get(code) != name:
                    errors.append(f"{where}: RxNorm ingredient {code} {name!r} not in terminology.md")
                continue
            if code not in RXNORM:
                errors.append(f"{where}: RxNorm {code} not in RXNORM")
                continue
            if display is not None and RXNORM[code].lower() != display.lower():
                errors.append(f"{where}: RxNorm {code} display {display!r}")
            if pairs is not None and not any(n.split(" (")[0].lower() == RXNORM[code].lower()
                                             for n in pairs.get(code, ())):
                errors.append(f"{where}: RxNorm {code} {RXNORM[code]!r} not in terminology.md")


def check_dates(obj, where, errors):
    keys = ("effectiveDateTime", "issued", "authoredOn", "dateAsserted", "start", "birthDate",
            "onsetDateTime", "abatementDateTime", "recordedDate")
    for node in walk(obj):
        for k in keys:
            v = node.get(k)
            if isinstance(v, str) and v > AS_OF[: len(v)]:
                errors.append(f"{where}: {k} {v} is after asOf")


def validate():
    errors, rows = [], []
    pairs = terminology_pairs()
    ingredients = terminology_ingredients()
    condition_table = terminology_conditions()
    services = load_services()
    bundles = {}
    for path in sorted((HERE / "patients").glob("*.json")):
        b = json.loads(path.read_text(encoding="utf-8"))
        pats = [e["resource"] for e in b["entry"] if e["resource"]["resourceType"] == "Patient"]
        if b.get("type") != "transaction" or len(pats) != 1:
            errors.append(f"{path.name}: not a transaction with one Patient")
            continue
        pid = pats[0]["id"]
        bundles[path.stem] = (pid, b)
        for e in b["entry"]:
            r = e["resource"]
            if not ID_RE.match(r["id"]):
                errors.append(f"{path.name}: bad id {r['id']}")
            if e["fullUrl"] != ref(r) or e["request"] != {"method": "PUT", "url": ref(r)}:
                errors.append(f"{path.name}: entry {ref(r)} fullUrl/request mismatch")
            subj = r.get("subject", {}).get("reference")
            if subj and subj != f"Patient/{pid}":
                errors.append(f"{path.name}: {ref(r)} references {subj}")
        check_codes(b, path.name, pairs, errors, ingredients)
        check_conditions(b, path.name, condition_table, errors)
        check_dates(b, path.name, errors)
        counts = {}
        for e in b["entry"]:
            counts[e["resource"]["resourceType"]] = counts.get(e["resource"]["resourceType"], 0) + 1
        rows.append((f"patients/{path.name}", pid, "transaction",
                     ", ".join(f"{k} {v}" for k, v in sorted(counts.items())), ""))

    manifest = json.loads((HERE / "expected.json").read_text(encoding="utf-8"))
    request_files = sorted((HERE / "requests").glob("*.json"))
    if {p.name for p in request_files} != set(manifest["requests"]):
        errors.append("expected.json and requests/ list different files")
    for path in request_files:
        req = json.loads(path.read_text(encoding="utf-8"))
        slug = path.name.split(".")[0]
        ctx = req["context"]
        pid, bundle = bundles.get(slug, (None, None))
        if ctx.get("patientId") != pid:
            errors.append(f"{path.name}: patientId {ctx.get('patientId')} != {pid}")
        if req["prefetch"].get("patient", {}).get("id") != pid:
            errors.append(f"{path.name}: prefetch.patient is not {pid}")
        declared = set(services[req["hook"]]["prefetch"])
        if set(req["prefetch"]) != declared:
            errors.append(f"{path.name}: prefetch keys {sorted(req['prefetch'])} != {sorted(declared)}")
        drafts = {ref(e["resource"]) for e in ctx.get("draftOrders", {}).get("entry", [])}
        for sel in ctx.get("selections", []):
            if sel not in drafts:
                errors.append(f"{path.name}: selection {sel} not in draftOrders")
        cards = manifest["requests"].get(path.name, {}).get("cards", [])
        for c in cards:
            if "deletes" in c and c["deletes"] not in drafts:
                errors.append(f"{path.name}: deletes {c['deletes']} not a draft order")
        # every prefetched resource must be the patient's own
        in_bundle = {ref(e["resource"]) for e in bundle["entry"]} if bundle else set()
        for key, value in req["prefetch"].items():
            if value is None:
                continue
            # An OperationOutcome a searchset carries (search.mode "outcome", Epic's habit) belongs to no patient.
            for r in ([value] if value["resourceType"] != "Bundle"
                      else [e["resource"] for e in value.get("entry", [])
                            if e.get("search", {}).get("mode") != "outcome"]):
                if ref(r) not in in_bundle:
                    errors.append(f"{path.name}: prefetch {key} has {ref(r)} not in patient bundle")
        check_codes(req, path.name, pairs, errors, ingredients)
        check_conditions(req, path.name, condition_table, errors)
        check_dates(req, path.name, errors)
        summary = "; ".join(
            f"{c['indicator']}[{','.join(c['mentions'])}]{' del' if 'deletes' in c else ''}"
            for c in cards) or "no card"
        filled = sum(1 for v in req["prefetch"].values()
                     if v is not None and (v["resourceType"] != "Bundle" or v["total"]))
        rows.append((f"requests/{path.name}", ctx["patientId"], req["hook"],
                     f"prefetch {filled}/{len(req['prefetch'])} non-empty", summary))

    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    header = ("file", "patient", "type/hook", "content", "expected cards")
    widths = [max(w, len(h)) for w, h in zip(widths, header)]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    print(fmt.format(*header))
    print(fmt.format(*("-" * w for w in widths)))
    for r in rows:
        print(fmt.format(*r))
    print(f"\n{len(bundles)} patient bundles, {len(request_files)} requests, "
          f"terminology cross-check: {'on' if pairs is not None else 'skipped (file absent)'}")
    if errors:
        print("\nERRORS:")
        for e in errors:
            print("  " + e)
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    generate()
    sys.exit(validate())
