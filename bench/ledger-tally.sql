-- Counts cards that were loaded straight into the card table (bench/ledger-generate.sql, LargeLedgerIT) into the card
-- tally that analytics read (migration 5), as owner 'generator'. PostgreSQL only. Run it once after loading and
-- before any service writes: cards a service wrote are tallied by the service itself and would be counted twice.
-- (A ledger loaded before migration 5 needs none of this: the migration tallies the cards it finds.)
BEGIN;
DELETE FROM card_tally WHERE owner = 'generator';
INSERT INTO card_tally (owner, bucket, issued_day, service_id, rule_ids, drug_classes, outcome, reason_system,
                        reason_code, reason_display, cards)
SELECT 'generator',
       -- Any key unique within the owner will do: only this script writes the owner's rows.
       md5(concat_ws(chr(2), day, service_id, coalesce(rule_ids, chr(1)), coalesce(drug_classes, chr(1)),
                     coalesce(outcome, chr(1)), coalesce(reason_system, chr(1)), coalesce(reason_code, chr(1))))
           || md5(coalesce(reason_code, '')),
       day, service_id, rule_ids, drug_classes, outcome, reason_system, reason_code,
       -- The display the card offered for its override reason, from the card's offered reasons (JSON).
       (SELECT r ->> 'display' FROM json_array_elements(min(override_reasons)::json) r
         WHERE r ->> 'code' = reason_code LIMIT 1),
       count(*)
  FROM (SELECT floor(extract(epoch FROM issued_at) / 86400)::bigint AS day, * FROM card) c
 GROUP BY day, service_id, rule_ids, drug_classes, outcome, reason_system, reason_code;
COMMIT;
ANALYZE card_tally;
