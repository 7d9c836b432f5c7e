package io.hypomag.cds.http.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ReplayStore} of a fleet: table {@code jti_replay} (migration V4) in the database every instance uses
 * (DB_URL), so a token accepted by one instance is refused by all the others until it expires.
 *
 * <p>Recording is one INSERT of the key (the hex SHA-256 of issuer, NUL, jti: no jti in clear, any length fits)
 * and its expiry. The primary key decides a race: of two instances inserting the same key, exactly one succeeds and
 * the other gets a unique violation (SQLState 23505, on PostgreSQL and H2). A violation is a replay unless the row
 * found has expired: then a conditional UPDATE ({@code ... AND expires_at <= now}) takes it over, and again only
 * one of several racing callers can match the condition (the database re-checks it on the row it locked).
 *
 * <p>Expired rows are deleted in chunks by the callers themselves, at most once per {@link #PURGE_INTERVAL} per
 * instance (the caller that wins a compare-and-set does it, after its own record), and again at the next call while
 * chunks come back full: no background thread.
 *
 * <p>Fails closed: when the database cannot answer (no connection within the pool's timeout, a statement past
 * {@link #QUERY_TIMEOUT_SECONDS}, any error other than the unique violation) the answer is
 * {@link Outcome#UNAVAILABLE} and the caller must refuse the token. After a failure the store answers UNAVAILABLE at
 * once for {@link #RETRY_PAUSE}, letting one call through per pause to try the database, so that an outage does not
 * hold every request thread for the pool's connection timeout. Logs the failure's class and SQLState only.
 */
public final class DatabaseReplayStore implements ReplayStore {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseReplayStore.class);
    static final int QUERY_TIMEOUT_SECONDS = 2;
    static final Duration PURGE_INTERVAL = Duration.ofSeconds(10);
    static final int PURGE_CHUNK = 1_000;
    /** As long as the Retry-After the refused client is given. */
    static final Duration RETRY_PAUSE = Duration.ofSeconds(1);
    private static final String UNIQUE_VIOLATION = "23505";

    private static final String INSERT = "INSERT INTO jti_replay (jti_hash, expires_at) VALUES (?, ?)";
    private static final String TAKE_OVER = "UPDATE jti_replay SET expires_at = ? WHERE jti_hash = ? AND expires_at <= ?";
    /**
     * The outer condition repeats the inner one: PostgreSQL re-checks only the outer one on a row that another caller
     * took over meanwhile, and without it would delete that live row.
     */
    private static final String PURGE = "DELETE FROM jti_replay WHERE expires_at <= ? AND jti_hash IN"
            + " (SELECT jti_hash FROM jti_replay WHERE expires_at <= ? FETCH FIRST %d ROWS ONLY)";

    private final DataSource dataSource;
    private final BooleanSupplier schema;
    private final String purge;
    private final int purgeChunk;
    private volatile boolean schemaReady;
    private volatile String state = "starting";
    private volatile String lastError;
    /** While down: the System.nanoTime after which one call may try the database again. */
    private final AtomicLong retryAt = new AtomicLong();
    private final AtomicLong nextPurge = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong unavailable = new AtomicLong();

    /**
     * @param dataSource the pool (the ledger's, from DB_URL)
     * @param schema     brings the schema to migration V4 or later; true when it is there, false (or an exception)
     *                   when not yet, e.g. another thread is still migrating. Asked until it first says true.
     */
    public DatabaseReplayStore(DataSource dataSource, BooleanSupplier schema) {
        this(dataSource, schema, PURGE_CHUNK);
    }

    /** With a smaller purge chunk, for tests. */
    DatabaseReplayStore(DataSource dataSource, BooleanSupplier schema, int purgeChunk) {
        this.dataSource = dataSource;
        this.schema = schema;
        this.purgeChunk = purgeChunk;
        this.purge = PURGE.formatted(purgeChunk);
    }

    @Override
    public Outcome record(String issuer, String jti, Instant keepUntil, Instant now) {
        if (pausedAfterFailure()) {
            unavailable.incrementAndGet();
            return Outcome.UNAVAILABLE;
        }
        Outcome outcome;
        try {
            ensureSchema();
            outcome = insertOrTakeOver(key(issuer, jti), keepUntil, now);
        } catch (SQLException | RuntimeException e) {
            failed(e);
            return Outcome.UNAVAILABLE;
        }
        answered();
        purgeIfDue(now);
        return outcome;
    }

    /**
     * Deletes up to one chunk of rows expired at {@code now}. @return how many
     *
     * @throws SQLException when the database cannot
     */
    int purgeExpired(Instant now) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement delete = connection.prepareStatement(purge)) {
            delete.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
            delete.setObject(1, timestamp(now));
            delete.setObject(2, timestamp(now));
            return delete.executeUpdate();
        }
    }

    @Override
    public Status status() {
        return new Status("database", state, lastError, unavailable.get());
    }

    /** The key of a jti: hex SHA-256 of issuer, NUL, jti (the NUL keeps "a" + "bc" apart from "ab" + "c"). */
    static String key(String issuer, String jti) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha256.digest((issuer + '\u0000' + jti).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private void ensureSchema() {
        if (!schemaReady) {
            if (!schema.getAsBoolean()) {
                throw new IllegalStateException("schema not migrated yet");
            }
            schemaReady = true;
        }
    }

    /**
     * INSERT; on a unique violation take an expired row over; a row that is gone by then (purged between the two)
     * gets one more INSERT. Autocommit: each statement is its own transaction, so a failed INSERT leaves nothing open.
     */
    private Outcome insertOrTakeOver(String key, Instant keepUntil, Instant now) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            for (int attempt = 0; attempt < 2; attempt++) {
                if (inserted(connection, key, keepUntil)) {
                    return Outcome.FIRST_USE;
                }
                if (tookOver(connection, key, keepUntil, now)) {
                    return Outcome.FIRST_USE;
                }
            }
            return Outcome.REPLAYED;
        }
    }

    private static boolean inserted(Connection connection, String key, Instant keepUntil) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            insert.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
            insert.setString(1, key);
            insert.setObject(2, timestamp(keepUntil));
            insert.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                return false;
            }
            throw e;
        }
    }

    private static boolean tookOver(Connection connection, String key, Instant keepUntil, Instant now) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(TAKE_OVER)) {
            update.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
            update.setObject(1, timestamp(keepUntil));
            update.setString(2, key);
            update.setObject(3, timestamp(now));
            return update.executeUpdate() == 1;
        }
    }

    /** At most once per interval, by the caller that wins the compare-and-set; at once again while chunks are full. */
    private void purgeIfDue(Instant now) {
        long due = nextPurge.get();
        long nowMs = now.toEpochMilli();
        if (nowMs < due || !nextPurge.compareAndSet(due, nowMs + PURGE_INTERVAL.toMillis())) {
            return;
        }
        try {
            if (purgeExpired(now) >= purgeChunk) {
                nextPurge.set(nowMs);
            }
        } catch (SQLException | RuntimeException e) {
            // This call's jti is recorded; the purge is tried again at the next interval. Not a reason to refuse.
            LOG.debug("jti replay purge failed: {}", describe(e));
        }
    }

    /** True while down and within the pause; false for the one caller that may try the database now. */
    private boolean pausedAfterFailure() {
        if (!"down".equals(state)) {
            return false;
        }
        long at = retryAt.get();
        long now = System.nanoTime();
        return now - at < 0 || !retryAt.compareAndSet(at, now + RETRY_PAUSE.toNanos());
    }

    private void failed(Exception e) {
        unavailable.incrementAndGet();
        String why = describe(e);
        retryAt.set(System.nanoTime() + RETRY_PAUSE.toNanos());
        if (!"down".equals(state)) {
            LOG.warn("jti replay store unavailable ({}): authenticated calls are refused with 503 until it answers", why);
        }
        lastError = why;
        state = "down";
    }

    private void answered() {
        if ("down".equals(state)) {
            LOG.info("jti replay store answers again");
        }
        lastError = null;
        state = "up";
    }

    /** Class and SQLState only: driver messages can quote values. */
    private static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getClass().getSimpleName() + " SQLState " + sql.getSQLState();
            }
        }
        return e.getClass().getSimpleName();
    }

    private static OffsetDateTime timestamp(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
