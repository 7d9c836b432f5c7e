package io.hypomag.cds.http.auth;

import io.hypomag.cds.ledger.DatabaseSettings;

/**
 * The shared replay store on H2 in memory, over two pools (DB_URL=jdbc:h2:… is allowed): the same contract as on
 * PostgreSQL, SQL and race included.
 */
class H2ReplayStoreTest extends DatabaseReplayStoreContract {
    @Override
    DatabaseSettings databaseSettings() {
        return new DatabaseSettings("jdbc:h2:mem:jti-replay-test;DB_CLOSE_DELAY=-1", "sa", "", 4);
    }
}
