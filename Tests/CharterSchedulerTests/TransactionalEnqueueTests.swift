import CharterPostgres
import CharterScheduler
import CharterStore
import Foundation
import Testing

/// RELIABILITY R10 and R11: a job exists exactly when the transaction that created it
/// committed, and a unique key schedules at most one job however many creators race.
@Suite struct TransactionalEnqueueTests {
  struct RolledBack: Error {}

  @Test func jobsOfRolledBackTransactionsDoNotExistAndCommittedOnesDo() async throws {
    try await SchedulerFixture.with(tenants: 2) { fixture in
      var committedKeys: Set<String> = []
      for index in 0..<200 {
        let tenant = fixture.tenants[index % 2]
        let key = "event-\(index)"
        let commits = index % 2 == 0
        do {
          try await fixture.app.withTenant(tenant) { connection in
            let result = try await JobQueue.enqueue(
              NewJob(
                kind: "test.record", subject: "member \(index)", uniqueKey: key,
                due: .after(.seconds(3600))), on: connection)
            #expect(result.isNew)
            if !commits { throw RolledBack() }
          }
        } catch is RolledBack {}
        if commits { committedKeys.insert(key) }
      }
      let keys = try await fixture.database.withConnection(as: .superuser) { connection in
        try await connection.query("select unique_key from charter.deadline_jobs", []).rows.map {
          try $0.decode(0, as: String.self)
        }
      }
      #expect(keys.count == 100)
      #expect(Set(keys) == committedKeys)
    }
  }

  @Test func concurrentCreatorsOfOneKeyScheduleOneJobIfAnyCommitted() async throws {
    try await SchedulerFixture.with(tenants: 1, poolSize: 20) { fixture in
      let tenant = fixture.tenants[0]
      let outcomes = try await withThrowingTaskGroup(of: (committed: Bool, new: Bool).self) {
        group in
        for index in 0..<50 {
          group.addTask {
            let rollBack = Bool.random()
            var new = false
            do {
              try await fixture.app.withTenant(tenant) { connection in
                new = try await JobQueue.enqueue(
                  NewJob(
                    kind: "test.record", subject: "meeting 7", uniqueKey: "meeting-7-notice",
                    due: .after(.seconds(60))), on: connection
                ).isNew
                // Hold the row a moment so that creators overlap.
                try await connection.query("select pg_sleep(0.005)", [])
                if rollBack { throw RolledBack() }
              }
            } catch is RolledBack {
              return (false, new)
            }
            _ = index
            return (true, new)
          }
        }
        var all: [(committed: Bool, new: Bool)] = []
        for try await outcome in group { all.append(outcome) }
        return all
      }
      let jobs = try await fixture.database.withConnection(as: .superuser) { connection in
        try await connection.query(
          "select count(*) from charter.deadline_jobs where unique_key = 'meeting-7-notice'", []
        ).scalar(as: Int64.self)
      }
      let anyCommitted = outcomes.contains { $0.committed }
      #expect(jobs == (anyCommitted ? 1 : 0))
      // Exactly one committed creator wrote it; no committed creator saw "duplicate" while
      // nothing was committed.
      #expect(outcomes.filter { $0.committed && $0.new }.count == (anyCommitted ? 1 : 0))
    }
  }

  @Test func enqueueOutsideATenantTransactionIsRefused() async throws {
    try await SchedulerFixture.with(tenants: 1) { fixture in
      await #expect(throws: SchedulerError.noTenantContext) {
        try await fixture.app.pool.transaction { connection in
          try await JobQueue.enqueue(
            NewJob(kind: "test.record", subject: "x", uniqueKey: nil, due: .now), on: connection)
        }
      }
    }
  }
}
