import CharterPostgres

/// The frame of every one-shot subcommand that works on the database as the owner role
/// (`migrate`, `tenant export`, `tenant import`): lock the data folder when the embedded
/// cluster lives there, prepare the database (starting the embedded cluster if needed),
/// run `body` on one owner connection, stop what was started. Returns the exit status:
/// 0, or 1 with the error logged under `label`.
func runAsOwner(
  _ configuration: Configuration, label: String,
  _ body: (PostgresConnection) async throws -> Void
) async -> Int32 {
  let lock: DataDirectoryLock?
  do {
    // Only the embedded cluster lives in the data folder; an external server needs no lock.
    lock =
      configuration.databaseURL == nil
      ? try DataDirectoryLock(directory: configuration.dataDirectory) : nil
  } catch {
    DaemonLog.error("\(error)")
    return 1
  }
  defer { withExtendedLifetime(lock) {} }
  let endpoints: DatabaseEndpoints
  do {
    endpoints = try await DatabaseEndpoints.prepare(configuration)
  } catch {
    DaemonLog.error("\(label): \(error)")
    return 1
  }
  defer { endpoints.stopEmbedded() }
  do {
    let owner = try endpoints.connectionConfiguration(
      endpoints.migrationURL, configuration, applicationName: "charterd \(label)")
    try await withConnection(owner, body)
    return 0
  } catch {
    DaemonLog.error("\(label): \(error)")
    return 1
  }
}
