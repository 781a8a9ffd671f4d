/*
 * Durable-commit ceiling of raw SQLite on this disk: WAL, synchronous=FULL, one writer.
 *
 *   commit_bench DB_PATH COMMITS ROWS_PER_COMMIT [savepoints]
 *
 * Runs COMMITS transactions (BEGIN IMMEDIATE, ROWS_PER_COMMIT inserts of a ~512-byte row,
 * COMMIT) on a fresh database at DB_PATH and prints commits/s, rows/s and the p50/p99 latency
 * of one whole transaction (BEGIN to COMMIT returned). With "savepoints" every row is inserted
 * inside its own SAVEPOINT/RELEASE, as ByNeed's group commit does for each job.
 *
 * With synchronous=FULL in WAL mode every COMMIT syncs the WAL ("SQLite: PRAGMA synchronous"),
 * so commits/s here is what one writer thread can durably commit; our POST benchmark is
 * compared against it. Not part of the Swift package: Benchmarks/SQLiteCommit/run.sh builds it.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void check(sqlite3 *db, int status, const char *what) {
    if (status != SQLITE_OK && status != SQLITE_DONE && status != SQLITE_ROW) {
        fprintf(stderr, "commit_bench: %s: %s\n", what, sqlite3_errmsg(db));
        exit(1);
    }
}

static void exec(sqlite3 *db, const char *sql) {
    check(db, sqlite3_exec(db, sql, NULL, NULL, NULL), sql);
}

static double now_us(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static int compare_doubles(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The value at quantile q of sorted[0..count), nearest rank. */
static double quantile(const double *sorted, long count, double q) {
    long rank = (long)(q * (double)count + 0.999999);
    if (rank < 1) rank = 1;
    if (rank > count) rank = count;
    return sorted[rank - 1];
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: commit_bench DB_PATH COMMITS ROWS_PER_COMMIT [savepoints]\n");
        return 64;
    }
    const char *path = argv[1];
    long commits = strtol(argv[2], NULL, 10);
    long rows_per_commit = strtol(argv[3], NULL, 10);
    int savepoints = argc > 4 && strcmp(argv[4], "savepoints") == 0;
    if (commits < 1 || rows_per_commit < 1) {
        fprintf(stderr, "commit_bench: COMMITS and ROWS_PER_COMMIT must be at least 1\n");
        return 64;
    }

    remove(path);
    char side[4096];
    snprintf(side, sizeof side, "%s-wal", path);
    remove(side);
    snprintf(side, sizeof side, "%s-shm", path);
    remove(side);

    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        fprintf(stderr, "commit_bench: cannot open %s\n", path);
        return 1;
    }
    exec(db, "PRAGMA journal_mode=WAL");
    exec(db, "PRAGMA synchronous=FULL");
    exec(db, "CREATE TABLE answers (id INTEGER PRIMARY KEY, batch INTEGER NOT NULL, payload TEXT NOT NULL) STRICT");

    char payload[513];
    memset(payload, 'x', sizeof payload - 1);
    payload[sizeof payload - 1] = '\0';
    sqlite3_stmt *insert;
    check(db, sqlite3_prepare_v2(db, "INSERT INTO answers (batch, payload) VALUES (?, ?)", -1, &insert, NULL), "prepare");

    double *latencies = malloc(sizeof(double) * (size_t)commits);
    if (latencies == NULL) return 1;
    double started = now_us();
    for (long c = 0; c < commits; c++) {
        double begin = now_us();
        exec(db, "BEGIN IMMEDIATE");
        for (long r = 0; r < rows_per_commit; r++) {
            if (savepoints) exec(db, "SAVEPOINT job");
            sqlite3_reset(insert);
            sqlite3_bind_int64(insert, 1, c);
            sqlite3_bind_text(insert, 2, payload, -1, SQLITE_STATIC);
            check(db, sqlite3_step(insert), "insert");
            if (savepoints) exec(db, "RELEASE job");
        }
        exec(db, "COMMIT");
        latencies[c] = now_us() - begin;
    }
    double elapsed_s = (now_us() - started) / 1e6;
    sqlite3_finalize(insert);
    sqlite3_close(db);

    qsort(latencies, (size_t)commits, sizeof(double), compare_doubles);
    printf("SQLite %s  %-3ld rows/commit%s  %7.0f commits/s  %9.0f rows/s   p50 %8.1f us   p99 %8.1f us   (%ld commits)\n",
           sqlite3_libversion(), rows_per_commit, savepoints ? " (savepoint per row)" : "                    ",
           (double)commits / elapsed_s, (double)(commits * rows_per_commit) / elapsed_s,
           quantile(latencies, commits, 0.50), quantile(latencies, commits, 0.99), commits);
    free(latencies);
    return 0;
}
