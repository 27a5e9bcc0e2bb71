import CharterDelivery
import CharterPostgres
import CharterScheduler
import CharterStore
import Foundation
import Testing

/// The built-in `notice.deliver` job, run by a real scheduler: its deliveries are written with
/// its completion, keyed by the job id so a second run writes nothing, and a payload that
/// cannot become a notice makes the job dead, visible to the operator.
@Suite struct NoticeDeliveryJobTests {
  @Test func aNoticeDeliverJobWritesEachRecipientsDeliveryOnceAndTheyAreReceived() async throws {
    try await DeliveryFixture.with { fixture in
      let sink = try Sink(script: "smtp_sink.py")
      try await sink.start()
      try await fixture.save(fixture.smtpSettings(port: sink.port))
      let templated = NoticeDeliveryPayload(
        noticeKind: "reminder",
        recipients: ["li@aitisa.example", "wang@aitisa.example", "LI@aitisa.example"],
        summaryZh: "理事会会议将于 6 月 3 日召开", summaryEn: "The council meets on 3 June",
        article: "AITISA art. 4.2")
      let written = NoticeDeliveryPayload(
        noticeKind: "information", recipients: ["zhao@aitisa.example"],
        subject: "【通知】年度报告 / [Information] Annual report", text: "请查收。\n\n——\n\nPlease read.")
      let jobs = try await fixture.app.withTenant(fixture.tenant) { connection in
        var ids: [UUID] = []
        for (index, job) in [
          try templated.job(subject: "meeting 7", uniqueKey: "n1", due: .now),
          try written.job(subject: "report", uniqueKey: "n2", due: .now),
          NewJob(
            kind: NoticeDeliveryHandler.kind, subject: "bad address", uniqueKey: "n3", due: .now,
            payload: PostgresJSON(
              #"{"notice_kind":"reminder","recipients":["a@b.example\r\nBcc: x@y.example"],"subject":"s","text":"t"}"#
            )),
          NewJob(
            kind: NoticeDeliveryHandler.kind, subject: "no text", uniqueKey: "n4", due: .now,
            payload: PostgresJSON(#"{"notice_kind":"reminder","recipients":["a@b.example"]}"#)),
          NewJob(
            kind: NoticeDeliveryHandler.kind, subject: "unreadable", uniqueKey: "n5", due: .now,
            payload: PostgresJSON(#"{"recipients":"nobody"}"#)),
        ].enumerated() {
          guard case .created(let id, _) = try await JobQueue.enqueue(job, on: connection) else {
            throw SinkStartFailed(description: "job \(index) was a duplicate")
          }
          ids.append(id)
        }
        return ids
      }
      try await runScheduler(fixture, until: jobs)

      let states = try await jobStates(fixture, jobs)
      #expect(states.map(\.state) == ["done", "done", "dead", "dead", "dead"])
      #expect(states[2].error.contains("notice.deliver"), "\(states[2].error)")
      #expect(states[3].error.contains("subject and text"), "\(states[3].error)")
      #expect(states[4].error.contains("unreadable payload"), "\(states[4].error)")

      let keys = try await outboxKeys(fixture)
      let first = NoticeDeliveryHandler.noticeKey(jobID: jobs[0])
      let second = NoticeDeliveryHandler.noticeKey(jobID: jobs[1])
      #expect(
        keys
          == [
            first + "/email/li@aitisa.example", first + "/email/wang@aitisa.example",
            second + "/email/zhao@aitisa.example",
          ].sorted(), "one delivery per distinct recipient, nothing for the dead jobs")

      // The job runs again (as after a crash that lost its completion): nothing new.
      try await fixture.database.withConnection(as: .superuser) { connection in
        try await connection.query(
          "update charter.deadline_jobs set state = 'pending', due_at = now() where id = $1",
          [jobs[0]])
      }
      try await runScheduler(fixture, until: [jobs[0]])
      #expect(try await outboxKeys(fixture) == keys)

      let round = try await fixture.sender().deliverDue()
      #expect(round.sent == 3)
      let records = try sink.records()
      let subjects = records.compactMap { $0["subject"] as? String }.sorted()
      #expect(
        subjects
          == [
            "【提醒】理事会会议将于 6 月 3 日召开 / [Reminder] The council meets on 3 June",
            "【提醒】理事会会议将于 6 月 3 日召开 / [Reminder] The council meets on 3 June",
            "【通知】年度报告 / [Information] Annual report",
          ].sorted())
      let texts = records.compactMap { $0["text"] as? String }
      #expect(texts.contains { $0.contains("依据：AITISA art. 4.2") })
      #expect(texts.contains { $0.hasPrefix("请查收。") })
    }
  }

  /// Runs a scheduler with the built-in handlers until every job in `ids` has left
  /// pending and running.
  private func runScheduler(_ fixture: DeliveryFixture, until ids: [UUID]) async throws {
    var handlers = JobHandlerRegistry()
    NoticeDeliveryHandler.register(into: &handlers)
    let scheduler = Scheduler(
      database: fixture.app, handlers: handlers,
      configuration: SchedulerConfiguration(
        instanceID: "notice-test-\(UUID().uuidString.prefix(8))",
        safetyPollInterval: .seconds(1)))
    try await scheduler.start()
    let deadline = ContinuousClock.now + .seconds(120)
    while ContinuousClock.now < deadline {
      let open = try await jobStates(fixture, ids).filter {
        $0.state == "pending" || $0.state == "running"
      }
      if open.isEmpty { break }
      try await Task.sleep(for: .milliseconds(50))
    }
    _ = await scheduler.stop()
  }

  private func jobStates(_ fixture: DeliveryFixture, _ ids: [UUID]) async throws -> [(
    state: String, error: String
  )] {
    try await fixture.app.withTenant(fixture.tenant) { connection in
      var states: [(state: String, error: String)] = []
      for id in ids {
        let row = try await connection.query(
          "select state, coalesce(last_error, '') from charter.deadline_jobs where id = $1", [id]
        ).rows[0]
        states.append((try row.decode(0, as: String.self), try row.decode(1, as: String.self)))
      }
      return states
    }
  }

  private func outboxKeys(_ fixture: DeliveryFixture) async throws -> [String] {
    try await fixture.app.withTenant(fixture.tenant) { connection in
      try await connection.query(
        "select notice_key from charter.notice_outbox order by notice_key", []
      ).rows.map { try $0.decode(0, as: String.self) }
    }
  }
}
