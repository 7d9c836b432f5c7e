-- The jti values of accepted client JWTs, shared by every instance that uses this database (DB_URL), so a token
-- accepted by one instance is refused by all others until it expires. No jti is stored in clear: the key is the
-- lower-case hex SHA-256 of issuer, a NUL character and jti (fixed length whatever the claim's length).
-- Portable SQL: the same migration runs on H2 and PostgreSQL. (V3 is another change's number.)

CREATE TABLE jti_replay (
    jti_hash   CHAR(64) PRIMARY KEY,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX jti_replay_expires_at ON jti_replay (expires_at);
