import CharterAdminServer
import CharterCrypto
import CharterPostgres
import CharterProtocol
import CharterStore
import Foundation

/// Loads the demo organisations (`charterd demo`, issue 5): each `Config/demo/*.charter` script
/// runs through the daemon's command handlers in an in-process session of a temporary operator,
/// `demo-loader`, whose account is disabled again afterwards (its actions stay in the audit).
/// A script whose tenant exists already is skipped, so a second start loads nothing twice.
struct DemoLoader {
  let database: Database
  let services: DaemonServices
  let directory: URL

  static let operatorName = "demo-loader"

  /// Runs every script of `directory` in name order; returns the slugs loaded.
  func load(now: Date = Date()) async throws -> [String] {
    let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
      .filter { $0.hasSuffix(".charter") }.sorted()
    let password = try await enableOperator()
    do {
      let loaded = try await load(files, password: password, now: now)
      try await Self.disableOperator(database)
      return loaded
    } catch {
      try? await Self.disableOperator(database)
      throw error
    }
  }

  private func load(_ files: [String], password: String, now: Date) async throws -> [String] {
    let (registry, sink) = services.commands()
    var loaded: [String] = []
    for file in files {
      let text = try String(
        contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
      let script = DemoScript(name: file, text: text)
      let session = InProcessSession(registry: registry, auditSink: sink)
      let login = await session.send("LOGIN \(Self.operatorName) \(password)")
      guard InProcessSession.status(of: login).hasPrefix("OK") else {
        throw DemoError("\(file): the demo operator cannot log in: \(login)")
      }
      if let slug = try await run(script, session: session, now: now) { loaded.append(slug) }
    }
    return loaded
  }

  /// Runs one script; nil when its tenant existed already (the script is skipped).
  private func run(_ script: DemoScript, session: InProcessSession, now: Date) async throws
    -> String?
  {
    var variables: [String: String] = [:]
    var slug: String?
    for line in script.lines {
      let command: String
      switch DemoScript.expand(line.command, variables: variables, today: now) {
      case .success(let expanded): command = expanded
      case .failure(let error): throw DemoError("\(script.name):\(line.number): \(error)")
      }
      let reply = await session.send(command)
      let status = InProcessSession.status(of: reply)
      if command.hasPrefix("TENANT CREATE ") {
        slug = command.split(separator: " ").dropFirst(2).first.map(String.init)
        if status.hasPrefix("ERR CONFLICT") { return nil }
      }
      if line.expectsError != !status.hasPrefix("OK") {
        throw DemoError(
          "\(script.name):\(line.number): `\(command)` answered \(status)"
            + (line.expectsError ? " (an error was expected)" : ""))
      }
      let ids = DemoScript.uuids(in: reply)
      guard ids.count >= line.captures.count else {
        throw DemoError(
          "\(script.name):\(line.number): \(line.captures.count) ids wanted, "
            + "\(ids.count) in the reply to `\(command)`")
      }
      for (name, id) in zip(line.captures, ids) { variables[name] = id }
    }
    return slug
  }

  /// Creates or re-enables the demo operator with a fresh random password; returns it.
  private func enableOperator() async throws -> String {
    let password = (0..<4).map { _ in UUID().uuidString.prefix(8) }.joined()
    let hash = try PasswordHasher(policy: .current).hash(password)
    _ = try await database.withInstallationScope { connection in
      try await connection.query(
        """
        insert into charter.operators (login, display_name, password_hash)
        values ($1, 'Demo loader', $2)
        on conflict (login) do update
            set password_hash = excluded.password_hash, disabled = false,
                must_change_password = false, failed_login_count = 0, locked_until = null
        """, [Self.operatorName, hash])
    }
    return password
  }

  private static func disableOperator(_ database: Database) async throws {
    _ = try await database.withInstallationScope { connection in
      try await connection.query(
        "update charter.operators set disabled = true, password_hash = null where login = $1",
        [operatorName])
    }
  }
}
