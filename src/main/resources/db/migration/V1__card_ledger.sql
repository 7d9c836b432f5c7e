-- The card ledger: what the service issued and what clinicians did with it. No patient data by design:
-- no patient id, name, birth date, resource id or lab value; the clinician's free-text comment is not kept.
-- Portable SQL: the same migration runs on H2 (embedded default) and PostgreSQL.

CREATE TABLE card (
    uuid        VARCHAR(100) PRIMARY KEY,
    service_id  VARCHAR(100) NOT NULL,
    hook        VARCHAR(50)  NOT NULL,
    indicator   VARCHAR(10)  NOT NULL,
    issued_at   TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX card_issued_at ON card (issued_at);

CREATE TABLE card_rule (
    card_uuid VARCHAR(100) NOT NULL REFERENCES card (uuid) ON DELETE CASCADE,
    rule_id   VARCHAR(50)  NOT NULL,
    PRIMARY KEY (card_uuid, rule_id)
);

CREATE TABLE card_drug_class (
    card_uuid  VARCHAR(100) NOT NULL REFERENCES card (uuid) ON DELETE CASCADE,
    drug_class VARCHAR(50)  NOT NULL,
    PRIMARY KEY (card_uuid, drug_class)
);

CREATE TABLE card_suggestion (
    card_uuid       VARCHAR(100) NOT NULL REFERENCES card (uuid) ON DELETE CASCADE,
    suggestion_uuid VARCHAR(100) NOT NULL,
    PRIMARY KEY (card_uuid, suggestion_uuid)
);

CREATE TABLE card_override_reason (
    card_uuid VARCHAR(100) NOT NULL REFERENCES card (uuid) ON DELETE CASCADE,
    position  INTEGER      NOT NULL,
    system    VARCHAR(300) NOT NULL,
    code      VARCHAR(200) NOT NULL,
    display   VARCHAR(300),
    PRIMARY KEY (card_uuid, position)
);

-- Feedback keeps the card uuid as sent, not a foreign key: feedback for a card we never issued (or purged) is
-- stored and flagged (known_card = false), not refused.
CREATE TABLE feedback (
    id            VARCHAR(36)  PRIMARY KEY,
    card_uuid     VARCHAR(100) NOT NULL,
    service_id    VARCHAR(100) NOT NULL,
    outcome       VARCHAR(12)  NOT NULL,
    reason_system VARCHAR(300),
    reason_code   VARCHAR(200),
    had_comment   BOOLEAN      NOT NULL,
    outcome_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    received_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    known_card    BOOLEAN      NOT NULL
);
CREATE INDEX feedback_card_uuid ON feedback (card_uuid);
CREATE INDEX feedback_received_at ON feedback (received_at);

CREATE TABLE feedback_suggestion (
    feedback_id     VARCHAR(36)  NOT NULL REFERENCES feedback (id) ON DELETE CASCADE,
    suggestion_uuid VARCHAR(100) NOT NULL,
    PRIMARY KEY (feedback_id, suggestion_uuid)
);
