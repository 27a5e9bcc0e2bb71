import CharterDelivery
import CharterPostgres
import CharterPostgresServer
import CharterScheduler
import CharterTLS
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The Prometheus endpoint and the JSON log lines of the built charterd (issue 7): commands,
/// database levels, the lateness histogram of fired jobs and delivery attempts by channel.
@Suite("charterd metrics", .serialized)
struct MetricsDaemonTests {
  @Test func metricsEndpointCountsCommandsAndLogsAreJSONLines() async throws {
    signal(SIGPIPE, SIG_IGN)
    let data = temporaryDataDirectory()
    defer { cleanUp(data) }
    let daemon = try DaemonProcess([
      "run", "--data-dir", data.path, "--listen", "127.0.0.1:0",
      "--metrics-listen", "127.0.0.1:0",
    ])
    #expect(await daemon.waitForReady(), "\(daemon.output)")
    let adminPort = try #require(daemon.adminPort(), "\(daemon.output)")
    let metricsPort = try #require(loggedMetricsPort(daemon.output), "\(daemon.output)")

    // stderr is a file here, so log.format=auto writes JSON lines.
    let logLine = try #require(
      daemon.output.split(separator: "\n").first { $0.contains("metrics listening on") })
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(logLine.utf8)) as? [String: Any])
    #expect(object["level"] as? String == "info")
    #expect(
      object["message"] as? String
        == "metrics listening on 127.0.0.1:\(metricsPort) (HTTP, GET /metrics)")

    let before = try httpGet(port: metricsPort, path: "/metrics")
    #expect(before.hasPrefix("HTTP/1.1 200 OK\r\n"), "\(before)")
    #expect(before.contains("Content-Type: text/plain; version=0.0.4"))
    for name in [
      "charter_admin_sessions_open", "charter_db_pool_connections", "charter_db_pool_waiting",
      "charter_scheduler_jobs_total",
    ] {
      #expect(before.contains("# TYPE \(name) "), "\(name) missing in \(before)")
    }
    #expect(!before.contains("charter_admin_commands_total{"), "no command yet")

    // A wrong password: the accounts module's LOGIN handler answers ERR AUTH_FAILED.
    let pinText = try String(
      contentsOfFile: data.appendingPathComponent("tls/fingerprint.sha256").path, encoding: .utf8)
    let pin = try #require(TLSFingerprint(parsing: String(pinText.prefix { $0 != "\n" })))
    let client = try TLSClient(
      host: "127.0.0.1", port: adminPort,
      configuration: TLSClientConfiguration(verification: .pinnedFingerprint(pin)))
    try client.writeLine("LOGIN admin not-the-password")
    #expect(try client.readLine()?.hasPrefix("ERR AUTH_FAILED") == true)

    let after = try httpGet(port: metricsPort, path: "/metrics")
    #expect(
      after.contains(
        #"charter_admin_commands_total{command="LOGIN",outcome="error",code="AUTH_FAILED"} 1"#),
      "\(after)")
    #expect(after.contains("charter_admin_sessions_open 1"), "\(after)")
    // Sampled from the database in the background (every tenant's rows; none yet): the first
    // sample lands shortly after the start.
    var sampled = after
    let deadline = ContinuousClock.now + .seconds(20)
    while !sampled.contains("charter_jobs{"), ContinuousClock.now < deadline {
      try await Task.sleep(for: .milliseconds(200))
      sampled = try httpGet(port: metricsPort, path: "/metrics")
    }
    #expect(sampled.contains(#"charter_jobs{state="pending"} 0"#), "\(sampled)")
    #expect(sampled.contains("charter_jobs_oldest_overdue_seconds 0"), "\(sampled)")
    #expect(
      sampled.contains(#"charter_outbox{state="pending",channel="email"} 0"#), "\(sampled)")

    let missing = try httpGet(port: metricsPort, path: "/")
    #expect(missing.hasPrefix("HTTP/1.1 404 Not Found\r\n"), "\(missing)")

    // A job that fell due two minutes before the daemon could run it lands in the lateness
    // histogram's upper buckets (seconds from due_at to its start, by the database clock); a
    // webhook notice for a tenant without a webhook URL counts as a failed attempt of its
    // channel. (In this test rather than its own: one daemon start less on a busy machine.)
    #expect(before.contains("# TYPE charter_job_lateness_seconds histogram"), "\(before)")
    #expect(before.contains("charter_job_lateness_seconds_count 0"), "\(before)")
    #expect(
      before.contains(#"charter_delivery_attempts_total{channel="webhook",result="retrying"} 0"#),
      "\(before)")
    let cluster = EmbeddedPostgres(
      directory: data.appendingPathComponent("postgres"), binaries: try PostgresBinaries.locate())
    let owner = try await PostgresConnection.connect(
      PostgresConfiguration(url: cluster.url(user: "charter_owner", database: "charter")))
    let tenant = UUID()
    try await owner.transaction(settings: ["charter.scope": "installation"]) {
      try await $0.query(
        "insert into charter.tenants (id, slug, name) values ($1, 'late', '联盟 Late')", [tenant])
    }
    try await owner.transaction(settings: ["charter.tenant": tenant.uuidString.lowercased()]) {
      // No handler knows this kind: one attempt, then dead; it still starts once.
      _ = try await JobQueue.enqueue(
        NewJob(
          kind: "test.lateness", subject: "metrics", uniqueKey: nil,
          due: .at(Date().addingTimeInterval(-120)), maxAttempts: 1), on: $0)
      _ = try await Outbox.enqueue(
        NewDelivery(
          noticeKey: "metrics-test", target: .webhook, subject: "测试 Test", textBody: "test"),
        on: $0)
    }
    await owner.close()

    var scraped = try httpGet(port: metricsPort, path: "/metrics")
    let fired = ContinuousClock.now + .seconds(60)
    while !scraped.contains("charter_job_lateness_seconds_count 1"),
      ContinuousClock.now < fired
    {
      try await Task.sleep(for: .milliseconds(200))
      scraped = try httpGet(port: metricsPort, path: "/metrics")
    }
    #expect(scraped.contains("charter_job_lateness_seconds_count 1"), "\(scraped)")
    #expect(scraped.contains(#"charter_job_lateness_seconds_bucket{le="60.0"} 0"#), "\(scraped)")
    #expect(scraped.contains(#"charter_job_lateness_seconds_bucket{le="300.0"} 1"#), "\(scraped)")
    #expect(scraped.contains(#"charter_job_lateness_seconds_bucket{le="+Inf"} 1"#), "\(scraped)")
    while !scraped.contains(#"result="retrying"} 1"#), ContinuousClock.now < fired {
      try await Task.sleep(for: .milliseconds(200))
      scraped = try httpGet(port: metricsPort, path: "/metrics")
    }
    #expect(
      scraped.contains(#"charter_delivery_attempts_total{channel="webhook",result="retrying"} 1"#),
      "no webhook URL is a temporary failure: \(scraped)")
    #expect(
      scraped.contains(#"charter_delivery_attempts_total{channel="email",result="sent"} 0"#),
      "\(scraped)")
    let sum = scraped.split(separator: "\n").first {
      $0.hasPrefix("charter_job_lateness_seconds_sum ")
    }
    let seconds = Double(sum?.split(separator: " ").last ?? "") ?? 0
    #expect(seconds >= 120, "\(sum ?? "no sum")")

    client.close()
    #expect(await daemon.stop() == 0, "\(daemon.output)")
  }

  @Test func metricsAreOffByDefault() async throws {
    let data = temporaryDataDirectory()
    defer { cleanUp(data) }
    let daemon = try DaemonProcess(["run", "--data-dir", data.path])
    #expect(await daemon.waitForReady(), "\(daemon.output)")
    #expect(!daemon.output.contains("metrics listening"), "\(daemon.output)")
    #expect(await daemon.stop() == 0)
  }

  private func cleanUp(_ data: URL) {
    if let cluster = try? EmbeddedPostgres(
      directory: data.appendingPathComponent("postgres"), binaries: PostgresBinaries.locate())
    {
      try? cluster.stop(mode: "immediate")
    }
    try? FileManager.default.removeItem(at: data)
  }

  private func loggedMetricsPort(_ output: String) -> UInt16? {
    let marker = "metrics listening on 127.0.0.1:"
    guard let range = output.range(of: marker) else { return nil }
    return UInt16(output[range.upperBound...].prefix { $0.isNumber })
  }

  /// One HTTP/1.1 request over a plain TCP socket; the whole response as text.
  private func httpGet(port: UInt16, path: String) throws -> String {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    try #require(fd >= 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    try #require(connected == 0, "connect: \(errno)")
    let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8)
    #expect(request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) } == request.count)
    var response: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4_096)
    while true {
      let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
      if count <= 0 { break }
      response += buffer[0..<count]
    }
    return String(decoding: response, as: UTF8.self)
  }
}
