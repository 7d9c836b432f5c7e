package io.hypomag.cds.ledger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The ledger contract on H2 in file mode, exactly as the default configuration runs it. */
class H2LedgerTest extends LedgerContract {
    @TempDir
    static Path dataDir;
    private static Database database;

    @BeforeAll
    static void open() {
        database = new Database(DatabaseSettings.h2File(dataDir, 2));
    }

    @AfterAll
    static void close() {
        database.close();
    }

    @Override
    Database database() {
        return database;
    }
}
