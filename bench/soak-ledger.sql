-- A generated card ledger for PostgreSQL, the statements of LargeLedgerIT.generate: a year of cards spread over the
-- days to now (four rule sets, three services), the first :feedback of them with feedback (half overridden, half
-- accepted) and a feedback row each. Run on a migrated, empty ledger, then bench/ledger-tally.sql so analytics count
-- them. Keep it in step with LargeLedgerIT.generate.
--
--   psql -v ON_ERROR_STOP=1 -v cards=1000000 -v feedback=200000 -f bench/soak-ledger.sql
-- (bench/ledger-generate.sh makes a more varied ledger from the service's own cards, for the analytics timings.)
INSERT INTO card (uuid, service_id, hook, indicator, issued_at, rule_ids, drug_classes, suggestion_uuids,
                  override_reasons, outcome, outcome_at, reason_system, reason_code)
SELECT 'gen-' || g,
       (ARRAY['hypomagnesemia-patient-view','hypomagnesemia-order-select','hypomagnesemia-order-sign'])[1 + g % 3],
       (ARRAY['patient-view','order-select','order-sign'])[1 + g % 3],
       (ARRAY['info','warning','critical'])[1 + g % 3],
       now() - (g % 365) * interval '1 day' - (g % 80000) * interval '1 second',
       (ARRAY['MG-LEVEL', 'MG-LEVEL' || chr(10) || 'MG-CAUSE', 'MG-MONITOR', 'MG-CAUSE' || chr(10) || 'MG-TREAT'])[1 + g % 4],
       (ARRAY[NULL, 'ppi', 'loop-diuretic', 'ppi' || chr(10) || 'thiazide'])[1 + g % 4],
       's-' || g,
       '[{"system":"urn:hypomag-cds:override-reason","code":"benefit-outweighs-risk","display":"Benefit outweighs the risk"}]',
       CASE WHEN g <= :feedback THEN (CASE WHEN g % 2 = 0 THEN 'overridden' ELSE 'accepted' END) END,
       CASE WHEN g <= :feedback THEN now() - (g % 365) * interval '1 day' END,
       CASE WHEN g <= :feedback AND g % 2 = 0 THEN 'urn:hypomag-cds:override-reason' END,
       CASE WHEN g <= :feedback AND g % 2 = 0 THEN 'benefit-outweighs-risk' END
  FROM generate_series(1, :cards) g;
INSERT INTO feedback (id, card_uuid, service_id, outcome, reason_system, reason_code, had_comment, outcome_at,
                      received_at, known_card)
SELECT 'f-' || uuid, uuid, service_id, outcome, reason_system, reason_code, FALSE, outcome_at, outcome_at, TRUE
  FROM card WHERE outcome IS NOT NULL;
ANALYZE;
