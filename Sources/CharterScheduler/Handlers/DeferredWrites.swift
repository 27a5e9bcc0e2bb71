public import CharterPostgres

/// Rows of one kind that can be written many at a time, in one statement.
public protocol BatchedWrite: Sendable {
  /// Writes `rows` in the caller's tenant transaction.
  static func write(_ rows: [Self], on connection: PostgresConnection) async throws
}

/// Rows a handler leaves to the scheduler instead of writing them itself. They are written in
/// the job's transaction after the handler returns and before the job is completed, so they
/// commit with the completion exactly as the handler's own writes do; and with the rows of the
/// same kind of the other jobs in its batch, in one statement per kind (docs/scheduler.md,
/// "Several jobs per transaction"). A handler that must read back what it wrote (an id, whether
/// a row existed) writes it itself.
public final class DeferredWrites: Sendable {
  private let rows = Locked<[any BatchedWrite]>([])

  public init() {}

  public func append(_ row: some BatchedWrite) {
    rows.withLock { $0.append(row) }
  }

  /// Writes and forgets the rows appended so far: one statement per kind, kinds in the order
  /// their first row was appended, rows in the order they were appended.
  func flush(on connection: PostgresConnection) async throws {
    let pending = rows.withLock { rows in
      defer { rows = [] }
      return rows
    }
    var groups: [(kind: ObjectIdentifier, rows: [any BatchedWrite])] = []
    for row in pending {
      let kind = ObjectIdentifier(type(of: row))
      if let index = groups.firstIndex(where: { $0.kind == kind }) {
        groups[index].rows.append(row)
      } else {
        groups.append((kind, [row]))
      }
    }
    for group in groups {
      try await Self.write(group.rows[0], group.rows, on: connection)
    }
  }

  /// Opens the group's row type from its first row.
  private static func write<Row: BatchedWrite>(
    _ first: Row, _ group: [any BatchedWrite], on connection: PostgresConnection
  ) async throws {
    try await Row.write(group.compactMap { $0 as? Row }, on: connection)
  }
}
