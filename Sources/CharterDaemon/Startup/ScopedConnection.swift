import CharterPostgres

/// Opens a connection for one piece of start-up work and closes it afterwards, also when
/// the work throws: start-up connections (superuser, owner) must not linger beside the pool.
func withConnection<T: Sendable>(
  _ configuration: PostgresConfiguration, _ body: (PostgresConnection) async throws -> T
) async throws -> T {
  let connection = try await PostgresConnection.connect(configuration)
  do {
    let result = try await body(connection)
    await connection.close()
    return result
  } catch {
    await connection.close()
    throw error
  }
}
