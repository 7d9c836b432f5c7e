package io.hypomag.cds.ledger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The ledger contract on a real PostgreSQL server, started for this class on loopback. */
class PostgresLedgerTest extends LedgerContract {
    private static PostgresServer server;
    private static Database database;

    @BeforeAll
    static void open() {
        server = PostgresServer.startOrSkip();
        database = new Database(server.settings(2));
    }

    @AfterAll
    static void close() {
        if (database != null) {
            database.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Override
    Database database() {
        return database;
    }
}
