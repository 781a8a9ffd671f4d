import SQLite

/// What one transaction of the writer did, for the statistics.
struct BatchReport {
    /// Jobs that ran in the transaction.
    var jobs: Int
    /// Jobs whose changes were committed.
    var committed: Int
    /// How long COMMIT took; nil when the transaction did not commit.
    var commitDuration: Duration?
}

// MARK: - Group commit

extension WriterThread {
    /// Runs `jobs` in one `BEGIN IMMEDIATE … COMMIT` transaction, each job inside its own
    /// savepoint, and answers every caller only after COMMIT has returned.
    ///
    /// Why savepoints: a job that throws must not take its batch-mates down. `ROLLBACK TO`
    /// reverts the database to the state just after the matching `SAVEPOINT` without ending the
    /// enclosing transaction, and `RELEASE` of a savepoint inside `BEGIN … COMMIT` writes
    /// nothing by itself ("SQLite: SAVEPOINT"), so a failed job leaves no rows and the others
    /// commit together. Why one COMMIT: with `synchronous=FULL` in WAL mode every COMMIT syncs
    /// the WAL ("SQLite: PRAGMA synchronous"; "SQLite: Write-Ahead Logging" §2.2, performance
    /// considerations), and that sync is the cost of a write; sharing it is what makes the
    /// writer's throughput grow with load while every answer stays durable before it is sent.
    ///
    /// Failures that are not one job's own: when BEGIN or COMMIT fails, every job of the
    /// transaction gets that error (never a false success); a job that has already failed on
    /// its own keeps its own error. When SQLite itself ends the transaction during a job (some
    /// errors, e.g. SQLITE_FULL or an I/O error, roll back the whole transaction), the jobs
    /// before it lost their work too and get that error, and the jobs after it run in a new
    /// transaction. A job that leaves a deferred constraint unresolved makes COMMIT fail and so
    /// fails its whole batch; our schema declares no deferred constraints.
    ///
    /// Returns one report per transaction run (more than one only after SQLite rolled back).
    func commit(_ jobs: ArraySlice<WriteJob>, on connection: Connection) -> [BatchReport] {
        var reports: [BatchReport] = []
        var remaining = jobs
        while !remaining.isEmpty {
            let (report, rest) = commitPrefix(of: remaining, on: connection)
            reports.append(report)
            remaining = rest
        }
        return reports
    }

    /// Runs one transaction over `jobs`, or over a prefix of them if SQLite rolls it back
    /// underneath a job; returns the jobs still to run.
    private func commitPrefix(of jobs: ArraySlice<WriteJob>,
                              on connection: Connection) -> (BatchReport, ArraySlice<WriteJob>) {
        do {
            try connection.execute("BEGIN IMMEDIATE")
        } catch {
            jobs.forEach { $0.fail(error) }
            return (BatchReport(jobs: jobs.count, committed: 0), [])
        }
        var done: [(job: WriteJob, delivery: WriteJob.Delivery)] = []
        for index in jobs.indices {
            let job = jobs[index]
            do {
                try connection.execute("SAVEPOINT job")
                let delivery = try job.perform(connection)
                try connection.execute("RELEASE job")
                done.append((job, delivery))
            } catch {
                job.fail(error)
                guard Self.rollBackSavepoint(connection) else {
                    Self.rollBack(connection)
                    done.forEach { $0.job.fail(error) }
                    let ran = jobs.distance(from: jobs.startIndex, to: index) + 1
                    return (BatchReport(jobs: ran, committed: 0), jobs[(index + 1)...])
                }
            }
        }
        let started = ContinuousClock.now
        do {
            try connection.execute("COMMIT")
        } catch {
            Self.rollBack(connection)
            done.forEach { $0.job.fail(error) }
            return (BatchReport(jobs: jobs.count, committed: 0), [])
        }
        let duration = started.duration(to: .now)
        done.forEach { $0.delivery() }
        return (BatchReport(jobs: jobs.count, committed: done.count, commitDuration: duration), [])
    }

    /// Undoes the current job's savepoint and removes it; false when that is impossible
    /// because the transaction is no longer open as the job found it.
    private static func rollBackSavepoint(_ connection: Connection) -> Bool {
        guard connection.isInTransaction else { return false }
        do {
            try connection.execute("ROLLBACK TO job; RELEASE job")
            return true
        } catch {
            return false
        }
    }

    /// Ends the transaction if SQLite has not already; a failing ROLLBACK is ignored, the
    /// error that caused it is the one the callers get.
    private static func rollBack(_ connection: Connection) {
        guard connection.isInTransaction else { return }
        try? connection.execute("ROLLBACK")
    }
}
