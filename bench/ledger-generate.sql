-- The bulk of bench/ledger-generate.sh: fills an empty, migrated card ledger with :cards cards issued over the last
-- :days days and :feedback feedback rows about them, the way the service itself would have written them. Run by
-- psql with -v cards=… -v feedback=… -v days=… -v chunks=…; PostgreSQL only (generate_series, gen_random_uuid, jsonb).
--
-- Cards: the card profiles below are the cards the service really issued for fhir-samples/requests (read back from
-- the ledger it wrote), with a weight each: service id, hook, indicator, rule ids and drug classes packed one per line
-- (PackedCodes), the number of suggestions, and the override reasons offered, as OfferedReasons writes them (JSON,
-- system/code/display). issued_at runs evenly from now - :days days to now, in insert order, as a live ledger grows;
-- card and suggestion uuids are version 7 (the card's millisecond, then random bits) like the service's.
--
-- Feedback: a uniform sample of the cards, about one in twelve of them reported twice (the spec allows repeats; the
-- last outcome counts), plus one row in 200 about a card the ledger does not hold (known_card false). Accepted needs
-- a suggestion, so a card without any is always overridden; override rates differ by indicator; most overrides carry
-- one of the reasons the card offered, the first ones more often. outcome_at is seconds to minutes after the card,
-- received_at a moment later, neither after now.

\set ON_ERROR_STOP on
\timing off
SET synchronous_commit = off;

\echo '-- card profiles'
CREATE TEMP TABLE bench_reason_set (name text PRIMARY KEY, reasons text NOT NULL);
INSERT INTO bench_reason_set VALUES
 ('patient', '[{"system":"urn:hypomag-cds:override-reason","code":"already-addressed","display":"Already being addressed"},{"system":"urn:hypomag-cds:override-reason","code":"result-outdated","display":"The result is outdated or erroneous"},{"system":"urn:hypomag-cds:override-reason","code":"patient-declined","display":"Patient declined"},{"system":"urn:hypomag-cds:override-reason","code":"palliative-care","display":"Not appropriate: goals of care"}]'),
 ('lowers-low', '[{"system":"urn:hypomag-cds:override-reason","code":"benefit-outweighs-risk","display":"Benefit outweighs the risk for this patient"},{"system":"urn:hypomag-cds:override-reason","code":"magnesium-being-replaced","display":"Magnesium is being replaced"},{"system":"urn:hypomag-cds:override-reason","code":"will-monitor-magnesium","display":"Will monitor magnesium closely"},{"system":"urn:hypomag-cds:override-reason","code":"no-alternative","display":"No suitable alternative"}]'),
 ('mg-while-high', '[{"system":"urn:hypomag-cds:override-reason","code":"level-outdated","display":"The high result is outdated or erroneous"},{"system":"urn:hypomag-cds:override-reason","code":"will-monitor-magnesium","display":"Will monitor magnesium closely"},{"system":"urn:hypomag-cds:override-reason","code":"other-indication","display":"Ordered for another indication (e.g. eclampsia, torsades)"}]'),
 ('lowers-unknown', '[{"system":"urn:hypomag-cds:override-reason","code":"result-elsewhere","display":"A recent result exists outside this record"},{"system":"urn:hypomag-cds:override-reason","code":"will-check-later","display":"Will check magnesium at the next blood draw"}]'),
 ('renal', '[{"system":"urn:hypomag-cds:override-reason","code":"dose-already-adjusted","display":"Dose already adjusted for kidney function"},{"system":"urn:hypomag-cds:override-reason","code":"will-monitor-magnesium","display":"Will monitor magnesium closely"}]');

-- weight: relative share of the cards (985 slots in all); rules and classes joined with '|' here, packed with newlines below.
CREATE TEMP TABLE bench_profile (id int PRIMARY KEY, weight int, service_id text, hook text, indicator text,
    rules text, classes text, suggestions int, reason_set text);
INSERT INTO bench_profile VALUES
 ( 1, 170, 'hypomagnesemia-patient-view', 'patient-view', 'warning',  'MG-LEVEL|MG-CAUSE|MG-RENAL|MG-EVAL|MG-CAUSE-TREAT', 'PROTON_PUMP_INHIBITOR', 5, 'patient'),
 ( 2, 110, 'hypomagnesemia-patient-view', 'patient-view', 'warning',  'MG-LEVEL|MG-CAUSE|MG-RENAL|MG-EVAL|MG-CAUSE-TREAT', 'THIAZIDE_DIURETIC', 7, 'patient'),
 ( 3,  80, 'hypomagnesemia-patient-view', 'patient-view', 'warning',  'MG-LEVEL|MG-CAUSE|MG-ASSOC|MG-RENAL|MG-FEMG|MG-EVAL|MG-CAUSE-TREAT', 'LOOP_DIURETIC', 7, 'patient'),
 ( 4,  60, 'hypomagnesemia-patient-view', 'patient-view', 'warning',  'MG-LEVEL|MG-CAUSE|MG-RENAL|MG-EVAL|MG-CAUSE-TREAT', '', 5, 'patient'),
 ( 5,  15, 'hypomagnesemia-patient-view', 'patient-view', 'warning',  'MG-LEVEL|MG-CAUSE|MG-RENAL|MG-EVAL', 'INSULIN', 6, 'patient'),
 ( 6,  10, 'hypomagnesemia-patient-view', 'patient-view', 'warning',  'MG-LEVEL|MG-CAUSE|MG-RENAL|MG-FEMG|MG-GENETIC|MG-EVAL', '', 7, 'patient'),
 ( 7, 120, 'hypomagnesemia-patient-view', 'patient-view', 'info',     'MG-LEVEL|MG-CAUSE', 'PROTON_PUMP_INHIBITOR', 1, 'patient'),
 ( 8,  50, 'hypomagnesemia-patient-view', 'patient-view', 'info',     'MG-LEVEL|MG-CAUSE|MG-EVAL', 'LOOP_DIURETIC', 5, 'patient'),
 ( 9,  30, 'hypomagnesemia-patient-view', 'patient-view', 'critical', 'MG-LEVEL|MG-CAUSE|MG-RENAL|MG-EVAL', 'AMINOGLYCOSIDE', 6, 'patient'),
 (10,  25, 'hypomagnesemia-patient-view', 'patient-view', 'critical', 'MG-LEVEL|MG-CAUSE|MG-CARDIO-CONSULT|MG-RENAL|MG-EVAL|MG-CAUSE-TREAT', 'THIAZIDE_DIURETIC', 7, 'patient'),
 (11,  20, 'hypomagnesemia-patient-view', 'patient-view', 'critical', 'MG-LEVEL|MG-CAUSE|MG-DIGOXIN|MG-RENAL|MG-EVAL|MG-CAUSE-TREAT', 'LOOP_DIURETIC|DIGOXIN', 7, 'patient'),
 (12,  15, 'hypomagnesemia-patient-view', 'patient-view', 'critical', 'MG-LEVEL|MG-CAUSE|MG-ASSOC|MG-CALCIUM-FIRST|MG-RENAL|MG-EVAL', 'PLATINUM_CHEMOTHERAPY', 6, 'patient'),
 (13,  10, 'hypomagnesemia-patient-view', 'patient-view', 'critical', 'MG-LEVEL|MG-CAUSE|MG-ASSOC|MG-RENAL|MG-EVAL|MG-NEPHRO-CONSULT', '', 6, 'patient'),
 (14,   8, 'hypomagnesemia-patient-view', 'patient-view', 'critical', 'MG-LEVEL|MG-CAUSE|MG-CARDIO-CONSULT|MG-RENAL|MG-FEMG|MG-GENETIC|MG-EVAL', '', 7, 'patient'),
 (15,   7, 'hypomagnesemia-patient-view', 'patient-view', 'critical', 'MG-LEVEL|MG-CAUSE|MG-ASSOC|MG-CALCIUM-FIRST|MG-DIGOXIN|MG-CARDIO-CONSULT|MG-RENAL|MG-EVAL|MG-CAUSE-TREAT|MG-NEPHRO-CONSULT', 'PROTON_PUMP_INHIBITOR|LOOP_DIURETIC|DIGOXIN', 8, 'patient'),
 (16,  95, 'hypomagnesemia-order-select', 'order-select', 'warning',  'MG-LEVEL|MG-CAUSE', 'LOOP_DIURETIC', 1, 'lowers-low'),
 (17,  40, 'hypomagnesemia-order-select', 'order-select', 'warning',  'MG-LEVEL|MG-CAUSE', 'PROTON_PUMP_INHIBITOR', 1, 'lowers-low'),
 (18,  20, 'hypomagnesemia-order-select', 'order-select', 'warning',  'MG-LEVEL', '', 1, 'mg-while-high'),
 (19,  45, 'hypomagnesemia-order-sign',   'order-sign',   'info',     'MG-LEVEL|MG-CAUSE', 'PROTON_PUMP_INHIBITOR', 1, 'lowers-unknown'),
 (20,  25, 'hypomagnesemia-order-sign',   'order-sign',   'warning',  'MG-RENAL', '', 0, 'renal'),
 (21,  15, 'hypomagnesemia-order-sign',   'order-sign',   'critical', 'MG-LEVEL|MG-CAUSE|MG-DIGOXIN|MG-CARDIO-CONSULT', 'LOOP_DIURETIC', 1, 'lowers-low'),
 (22,  15, 'hypomagnesemia-order-sign',   'order-sign',   'critical', 'MG-LEVEL|MG-CAUSE|MG-DIGOXIN|MG-CARDIO-CONSULT', 'PROTON_PUMP_INHIBITOR', 1, 'lowers-low');

-- One slot per unit of weight, so a card picks its profile with one random index and a hash join.
CREATE TEMP TABLE bench_slot AS
SELECT row_number() OVER (ORDER BY p.id) - 1 AS slot, p.id AS profile
FROM bench_profile p, generate_series(1, p.weight);
SELECT count(*) AS slots FROM bench_slot \gset
\echo slots :slots

CREATE TEMP TABLE bench_card_profile AS
SELECT p.id, p.service_id, p.hook, p.indicator,
       replace(p.rules, '|', E'\n') AS rule_ids,
       NULLIF(replace(p.classes, '|', E'\n'), '') AS drug_classes,
       p.suggestions, r.reasons AS override_reasons
FROM bench_profile p JOIN bench_reason_set r ON r.name = p.reason_set;
ANALYZE bench_slot;
ANALYZE bench_card_profile;

SELECT extract(epoch FROM now()) AS now_s \gset
\set span_s '(' :days ' * 86400.0)'

\timing on
\echo '-- cards, in' :chunks 'chunks (issued_at from' :days 'days ago to now, in insert order)'
SELECT format($sql$
INSERT INTO card (uuid, service_id, hook, indicator, issued_at, rule_ids, drug_classes, suggestion_uuids, override_reasons)
SELECT k.ms_hex8 || '-' || k.ms_hex4 || '-7' || substr(gen_random_uuid()::text, 16),
       p.service_id, p.hook, p.indicator, k.issued_at, p.rule_ids, p.drug_classes,
       NULLIF(array_to_string(ARRAY(SELECT k.ms_hex8 || '-' || k.ms_hex4 || '-7' || substr(gen_random_uuid()::text, 16)
                                    FROM generate_series(1, p.suggestions)), E'\n'), ''),
       p.override_reasons
FROM (
    SELECT t.issued_at, t.slot,
           substr(lpad(to_hex(floor(extract(epoch FROM t.issued_at) * 1000)::bigint), 12, '0'), 1, 8) AS ms_hex8,
           substr(lpad(to_hex(floor(extract(epoch FROM t.issued_at) * 1000)::bigint), 12, '0'), 9, 4) AS ms_hex4
    FROM (
        SELECT to_timestamp(%1$s - %2$s + (g - 1 + random()) * %2$s / %3$s) AS issued_at,
               floor(random() * %4$s)::int AS slot
        FROM generate_series(%5$s, %6$s) g
    ) t
) k
JOIN bench_slot s ON s.slot = k.slot
JOIN bench_card_profile p ON p.id = s.profile
$sql$, :now_s, :span_s, :cards, :slots,
       (c * :cards) / :chunks + 1, ((c + 1) * :cards) / :chunks)
FROM generate_series(0, :chunks - 1) c
WHERE ((c + 1) * :cards) / :chunks >= (c * :cards) / :chunks + 1
\gexec

\echo '-- feedback: sample the cards'
-- known rows: all but one in 200 (at least one unknown when there is any feedback)
SELECT CASE WHEN :feedback > 0 THEN greatest(1, :feedback / 200) ELSE 0 END AS unknown \gset
SELECT :feedback - :unknown AS known \gset
-- about one sampled card in twelve is reported twice: sample known / 1.085 cards, with a margin, then cut to known
SELECT least(100.0, 100.0 * (:known / 1.085 * 1.03 + 50) / greatest(1, :cards)) AS pct \gset
CREATE TEMP TABLE bench_picked AS
SELECT uuid, service_id, indicator, issued_at, suggestion_uuids, override_reasons
FROM card TABLESAMPLE BERNOULLI (:pct);
CREATE TEMP TABLE bench_fb AS
SELECT * FROM (
    SELECT * FROM bench_picked
    UNION ALL
    SELECT * FROM bench_picked WHERE random() < 1.0 / 12
) twice
ORDER BY random()
LIMIT :known;
DROP TABLE bench_picked;

\echo '-- feedback: outcomes, reasons and times'
CREATE TEMP TABLE bench_feedback AS
SELECT gen_random_uuid()::text AS id, f.uuid AS card_uuid, f.service_id, o.outcome,
       CASE WHEN o.reason IS NOT NULL THEN o.reason ->> 'system' END AS reason_system,
       CASE WHEN o.reason IS NOT NULL THEN o.reason ->> 'code' END AS reason_code,
       random() < 0.12 AS had_comment,
       o.outcome_at,
       least(o.outcome_at + (0.05 + 2 * random()) * interval '1 second', now()) AS received_at,
       true AS known_card,
       CASE WHEN o.outcome = 'accepted' THEN f.suggestion_uuids END AS suggestions
FROM bench_fb f
CROSS JOIN LATERAL (
    SELECT x.outcome,
           CASE WHEN x.outcome = 'overridden' AND f.override_reasons IS NOT NULL AND random() < 0.85
                THEN f.override_reasons::jsonb
                     -> floor(jsonb_array_length(f.override_reasons::jsonb) * power(random(), 1.7))::int
           END AS reason,
           -- most clinicians answer while the card is on screen; some come back to it much later
           least(f.issued_at + CASE WHEN random() < 0.8 THEN 2 + 90 * random()
                                    ELSE 120 + 7200 * random() END * interval '1 second', now()) AS outcome_at
    FROM (SELECT CASE WHEN f.suggestion_uuids IS NULL THEN 'overridden'
                      WHEN random() < CASE f.indicator WHEN 'info' THEN 0.78 WHEN 'warning' THEN 0.62 ELSE 0.38 END
                      THEN 'overridden' ELSE 'accepted' END AS outcome) x
) o;
DROP TABLE bench_fb;

\echo '-- feedback about cards the ledger does not hold'
INSERT INTO bench_feedback
SELECT gen_random_uuid()::text,
       substr(lpad(to_hex(floor(extract(epoch FROM u.at) * 1000)::bigint), 12, '0'), 1, 8) || '-'
           || substr(lpad(to_hex(floor(extract(epoch FROM u.at) * 1000)::bigint), 12, '0'), 9, 4) || '-7'
           || substr(gen_random_uuid()::text, 16),
       (ARRAY['hypomagnesemia-patient-view', 'hypomagnesemia-order-select', 'hypomagnesemia-order-sign'])[1 + floor(random() * 3)::int],
       u.outcome,
       CASE WHEN u.outcome = 'overridden' THEN 'urn:hypomag-cds:override-reason' END,
       CASE WHEN u.outcome = 'overridden' THEN 'will-monitor-magnesium' END,
       false, u.at, least(u.at + interval '1 second', now()), false,
       CASE WHEN u.outcome = 'accepted' THEN gen_random_uuid()::text END
FROM (
    SELECT to_timestamp(:now_s - random() * :span_s) AS at,
           CASE WHEN random() < 0.6 THEN 'overridden' ELSE 'accepted' END AS outcome
    FROM generate_series(1, :unknown)
) u;

\echo '-- feedback rows, in the order they arrived'
INSERT INTO feedback (id, card_uuid, service_id, outcome, reason_system, reason_code, had_comment, outcome_at,
                      received_at, known_card)
SELECT id, card_uuid, service_id, outcome, reason_system, reason_code, had_comment, outcome_at, received_at, known_card
FROM bench_feedback
ORDER BY received_at;

\echo '-- accepted suggestions: the card''s first, and its second one time in five'
INSERT INTO feedback_suggestion (feedback_id, suggestion_uuid)
SELECT b.id, s.uuid
FROM bench_feedback b
CROSS JOIN LATERAL unnest((string_to_array(b.suggestions, E'\n'))[1:(CASE WHEN random() < 0.2 THEN 2 ELSE 1 END)]) AS s(uuid)
WHERE b.suggestions IS NOT NULL;
DROP TABLE bench_feedback;

-- Migration 3 (when present) keeps each card's last outcome in its row: by outcome_at, ties by received_at.
SELECT count(*) = 4 AS has_v3 FROM information_schema.columns
WHERE table_name = 'card' AND column_name IN ('outcome', 'outcome_at', 'reason_system', 'reason_code') \gset
\if :has_v3
\echo '-- card.outcome, outcome_at, reason_system, reason_code (migration 3): each card''s last feedback'
UPDATE card c
SET outcome = l.outcome, outcome_at = l.outcome_at, reason_system = l.reason_system, reason_code = l.reason_code
FROM (
    SELECT DISTINCT ON (card_uuid) card_uuid, outcome, outcome_at, reason_system, reason_code
    FROM feedback
    WHERE known_card
    ORDER BY card_uuid, outcome_at DESC, received_at DESC
) l
WHERE c.uuid = l.card_uuid;
\else
\echo '-- no card.outcome columns (migration 3 not applied): skipped'
\endif
