-- Each card carries its last outcome (by outcome time; of two reports with the same time, the one written later
-- wins), kept up to date when feedback is written; the card tally (migration 5) counts cards by it. The feedback
-- table stays the record of every report.
ALTER TABLE card ADD COLUMN outcome VARCHAR(12);
ALTER TABLE card ADD COLUMN outcome_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE card ADD COLUMN reason_system VARCHAR(300);
ALTER TABLE card ADD COLUMN reason_code VARCHAR(200);

-- Cards that already have feedback: their last report, the same rule as new writes follow.
UPDATE card SET (outcome, outcome_at, reason_system, reason_code) = (
    SELECT f.outcome, f.outcome_at, f.reason_system, f.reason_code FROM feedback f
    WHERE f.card_uuid = card.uuid ORDER BY f.outcome_at DESC, f.received_at DESC FETCH FIRST 1 ROW ONLY)
WHERE uuid IN (SELECT card_uuid FROM feedback);
