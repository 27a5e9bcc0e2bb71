import CharterPostgres
import CharterScheduler
import CharterStore
import Foundation
import Testing

/// The queries behind JOBS LIST / SHOW / CANCEL and STATS.
@Suite struct AdministrationTests {
  @Test func listFiltersAndPagesInDueOrderCancelAndStatistics() async throws {
    try await SchedulerFixture.with(tenants: 2) { fixture in
      let (tenant, other) = (fixture.tenants[0], fixture.tenants[1])
      let base = Date().addingTimeInterval(3600)
      for index in 0..<25 {
        try await fixture.enqueue(
          tenant: tenant, kind: index % 5 == 0 ? "fee.reminder" : "office.term_end",
          subject: "s\(index)", key: "k\(index)",
          due: .at(base.addingTimeInterval(Double(index * 60))))
      }
      try await fixture.enqueue(tenant: other, kind: "fee.reminder", due: .at(base))
      let administration = JobAdministration(database: fixture.app)

      var seen: [JobSummary] = []
      var cursor: JobCursor?
      repeat {
        let page = try await administration.list(
          tenant: tenant, filter: JobFilter(kind: "office.term_end"), after: cursor, limit: 7)
        seen += page.jobs
        // The cursor survives the trip through its text form.
        cursor = try page.next.map { try JobCursor(token: $0.token) }
      } while cursor != nil
      #expect(seen.count == 20)
      #expect(seen.map(\.dueAt) == seen.map(\.dueAt).sorted())
      #expect(Set(seen.map(\.id)).count == 20)
      #expect(seen.allSatisfy { $0.kind == "office.term_end" && $0.tenant == tenant })

      let window = try await administration.list(
        tenant: tenant,
        filter: JobFilter(
          dueFrom: base.addingTimeInterval(120), dueBefore: base.addingTimeInterval(300)))
      #expect(window.jobs.map(\.subject) == ["s2", "s3", "s4"])

      let first = seen[0]
      #expect(try await administration.cancel(tenant: tenant, id: first.id) == .changed)
      #expect(
        try await administration.cancel(tenant: tenant, id: first.id)
          == .refused(current: .cancelled))
      #expect(try await administration.cancel(tenant: other, id: first.id) == .notFound)
      let cancelled = try await administration.list(
        tenant: tenant, filter: JobFilter(states: [.cancelled]))
      #expect(cancelled.jobs.map(\.id) == [first.id])

      let statistics = try await administration.statistics(tenant: tenant)
      #expect(statistics.countsByState == [.pending: 24, .cancelled: 1])
      #expect(statistics.oldestOverdueLateness == nil)
      #expect(statistics.oldestPendingDue != nil)
      #expect(throws: SchedulerError.invalidCursor) { try JobCursor(token: "nonsense") }

      let installation = try await administration.installationStatistics()
      #expect(installation.countsByState == [.pending: 25, .cancelled: 1])
      // The other tenant's job is due at `base`, before any of this tenant's pending ones
      // (microseconds in the database).
      let oldest = try #require(installation.oldestPendingDue)
      #expect(abs(oldest.timeIntervalSince(base)) < 0.001)
    }
  }
}
