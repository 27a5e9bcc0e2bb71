internal import CCharterLibPQShims
internal import CLibPQ

#if canImport(Glibc)
  import Glibc
#endif

/// Owns one `PGconn`. Not thread-safe: its owner (a `PostgresConnection` or the listener) calls
/// it only from the one serial queue it owns. `PQfinish` and `PQfreemem` happen here only.
final class LibPQConnection: @unchecked Sendable {
  private var pointer: OpaquePointer?
  /// Interrupts a running statement from another thread; nil if libpq could not make one.
  private(set) var canceller: LibPQCancel?
  /// Parameterised statements prepared on this session (see `execute`).
  private var preparedStatements: PreparedStatementCache

  /// Takes ownership of a `PGconn` returned by `PQconnectdbParams`.
  private init(taking pointer: OpaquePointer, preparedStatementCapacity: Int) {
    self.pointer = pointer
    self.preparedStatements = PreparedStatementCache(capacity: preparedStatementCapacity)
  }

  deinit {
    finish()
  }

  /// Connects, blocking the calling thread (the owner's queue) until connected or failed.
  static func connect(_ configuration: PostgresConfiguration) throws(PostgresError)
    -> LibPQConnection
  {
    let pairs = configuration.libpqParameters
    let keywords = pairs.map { strdup($0.0) } + [nil]
    let values = pairs.map { strdup($0.1) } + [nil]
    defer {
      for pointer in keywords { free(pointer) }
      for pointer in values { free(pointer) }
    }
    let raw = keywords.withUnsafeBufferPointer { keywordBuffer in
      values.withUnsafeBufferPointer { valueBuffer in
        keywordBuffer.baseAddress!.withMemoryRebound(
          to: UnsafePointer<CChar>?.self, capacity: keywords.count
        ) {
          keywordPointers in
          valueBuffer.baseAddress!.withMemoryRebound(
            to: UnsafePointer<CChar>?.self, capacity: values.count
          ) {
            valuePointers in
            PQconnectdbParams(keywordPointers, valuePointers, 0)
          }
        }
      }
    }
    guard let raw else {
      throw PostgresError(kind: .connection, message: "libpq could not allocate a connection")
    }
    let connection = LibPQConnection(
      taking: raw, preparedStatementCapacity: configuration.preparedStatementCapacity)
    guard PQstatus(raw) == CONNECTION_OK else {
      let message = connection.errorMessage
      let kind: PostgresError.Kind = message.contains("timeout expired") ? .timeout : .connection
      throw PostgresError(
        kind: kind, message: "cannot connect to \(configuration.redactedDescription): \(message)")
    }
    // Without a receiver libpq prints NOTICEs to stderr; we drop them (they carry no state).
    PQsetNoticeReceiver(raw, { _, _ in }, nil)
    connection.canceller = PQgetCancel(raw).map(LibPQCancel.init(taking:))
    return connection
  }

  var isOpen: Bool { pointer != nil }

  /// True while the connection is usable as far as libpq knows (it learns of a dead server
  /// only when it next reads).
  var isConnectionOK: Bool {
    guard let pointer else { return false }
    return PQstatus(pointer) == CONNECTION_OK
  }

  enum TransactionState {
    case idle, active, inTransaction, inFailedTransaction, unknown
  }

  var transactionState: TransactionState {
    guard let pointer else { return .unknown }
    switch PQtransactionStatus(pointer) {
    case PQTRANS_IDLE: return .idle
    case PQTRANS_ACTIVE: return .active
    case PQTRANS_INTRANS: return .inTransaction
    case PQTRANS_INERROR: return .inFailedTransaction
    default: return .unknown
    }
  }

  var socket: Int32 {
    guard let pointer else { return -1 }
    return PQsocket(pointer)
  }

  var backendPID: Int32 {
    guard let pointer else { return 0 }
    return PQbackendPID(pointer)
  }

  var errorMessage: String {
    guard let pointer, let message = PQerrorMessage(pointer) else { return "connection closed" }
    return String(cString: message).trimmingTrailingWhitespace
  }

  /// One statement through the extended protocol, parameters bound out of band, results in
  /// binary format. A statement with parameters runs as a named prepared statement, prepared
  /// on its first use on this connection and kept in a bounded cache, so the server parses it
  /// once and may reuse its plan (about a quarter of the database time of the scheduler's
  /// jobs went into planning, docs/scheduler.md). Statements without parameters (BEGIN,
  /// COMMIT, DDL) stay unnamed: they gain nothing from it.
  func execute(_ sql: String, _ bindings: PostgresBindings) throws(PostgresError) -> LibPQResult {
    guard let pointer else { throw PostgresError.closed }
    canceller?.waitForPendingRequests()
    guard preparedStatements.isEnabled, bindings.count > 0,
      transactionState != .inFailedTransaction
    else {
      return try executeUnnamed(pointer, sql, bindings)
    }
    let key = PreparedStatementCache.Key(sql: sql, types: bindings.types)
    if let name = preparedStatements.name(for: key) {
      do {
        return try executePrepared(pointer, name, bindings)
      } catch let error where Self.meansStatementUnusable(error) {
        if error.sqlState == PostgresSQLState.invalidStatementName {
          // The session lost its statements (DEALLOCATE ALL, DISCARD ALL): all of them.
          preparedStatements.removeAll()
        } else {
          preparedStatements.remove(key)
        }
        // Nothing ran (the error comes before execution). Outside a transaction block run
        // it again, prepared afresh; inside one the error aborted the transaction, which its
        // owner rolls back, and the next use prepares again.
        guard transactionState == .idle else { throw error }
      }
    }
    preparedStatements.evictIfFull()
    try deallocateDroppedStatements(pointer)
    let name = preparedStatements.makeName()
    let prepared = bindings.withCParameters { count, types, _, _, _ in
      PQprepare(pointer, name, sql, count, types)
    }
    _ = try checked(prepared)
    preparedStatements.insert(key, name: name)
    return try executePrepared(pointer, name, bindings)
  }

  /// Errors after which a cached statement must be prepared again: it no longer exists on
  /// the server, or its result columns changed with the schema ("cached plan must not change
  /// result type").
  private static func meansStatementUnusable(_ error: PostgresError) -> Bool {
    guard error.kind == .server else { return false }
    return error.sqlState == PostgresSQLState.invalidStatementName
      || (error.sqlState == PostgresSQLState.featureNotSupported
        && error.message.contains("cached plan"))
  }

  private func executeUnnamed(_ pointer: OpaquePointer, _ sql: String, _ bindings: PostgresBindings)
    throws(PostgresError) -> LibPQResult
  {
    let raw = bindings.withCParameters { count, types, values, lengths, formats in
      PQexecParams(pointer, sql, count, types, values, lengths, formats, 1)
    }
    return try checked(raw)
  }

  private func executePrepared(
    _ pointer: OpaquePointer, _ name: String, _ bindings: PostgresBindings
  ) throws(PostgresError) -> LibPQResult {
    let raw = bindings.withCParameters { count, _, values, lengths, formats in
      PQexecPrepared(pointer, name, count, values, lengths, formats, 1)
    }
    return try checked(raw)
  }

  /// DEALLOCATEs statements the cache dropped, before preparing another, so the server holds
  /// no more than the cache's capacity. Prepared statements are not transactional, so this
  /// works inside a transaction too (never inside a failed one: `execute` checks).
  private func deallocateDroppedStatements(_ pointer: OpaquePointer) throws(PostgresError) {
    for name in preparedStatements.namesToDeallocate {
      // The name was generated by the cache (`charter_statement_<n>`), never from input.
      do {
        _ = try checked(PQexec(pointer, "DEALLOCATE \(name)"))
      } catch  where error.sqlState == PostgresSQLState.invalidStatementName {
        // The session already lost its statements (DISCARD ALL): none of ours is left.
        preparedStatements.removeAll()
        guard transactionState == .idle else { throw error }
        return
      }
      preparedStatements.deallocated(name)
    }
  }

  /// Several statements, no parameters, simple query protocol: for migrations.
  func executeScript(_ sql: String) throws(PostgresError) {
    guard let pointer else { throw PostgresError.closed }
    canceller?.waitForPendingRequests()
    _ = try checked(PQexec(pointer, sql))
  }

  private func checked(_ raw: OpaquePointer?) throws(PostgresError) -> LibPQResult {
    guard let raw else {
      throw PostgresError(kind: .connection, message: errorMessage)
    }
    let result = LibPQResult(taking: raw)
    switch result.status {
    case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
      return result
    case PGRES_FATAL_ERROR, PGRES_NONFATAL_ERROR:
      var error = result.error
      if !isConnectionOK {
        error.kind = .connection
      }
      throw error
    default:
      throw PostgresError(
        kind: .protocol,
        message: "unexpected result status \(String(cString: PQresStatus(result.status)))")
    }
  }

  /// Reads what the server sent without blocking. False when the connection is gone.
  func consumeInput() -> Bool {
    guard let pointer else { return false }
    return PQconsumeInput(pointer) == 1 && PQstatus(pointer) == CONNECTION_OK
  }

  /// The notifications libpq has read so far.
  func takeNotifications() -> [PostgresNotification] {
    guard let pointer else { return [] }
    var notifications: [PostgresNotification] = []
    while let notify = PQnotifies(pointer) {
      let value = notify.pointee
      notifications.append(
        PostgresNotification(
          channel: String(cString: value.relname), payload: String(cString: value.extra),
          pid: value.be_pid))
      freeLibPQMemory(notify)
    }
    return notifications
  }

  /// `name` quoted as an SQL identifier by libpq, for LISTEN/UNLISTEN where `$n` cannot be used.
  func escapeIdentifier(_ name: String) throws(PostgresError) -> String {
    guard let pointer else { throw PostgresError.closed }
    let length = name.utf8.count
    guard let escaped = PQescapeIdentifier(pointer, name, length) else {
      throw PostgresError(kind: .misuse, message: "cannot quote identifier: \(errorMessage)")
    }
    defer { freeLibPQMemory(escaped) }
    return String(cString: escaped)
  }

  /// Memory libpq allocated goes back to libpq, here and nowhere else.
  private func freeLibPQMemory(_ memory: UnsafeMutableRawPointer) {
    PQfreemem(memory)
  }

  private func freeLibPQMemory<T>(_ memory: UnsafeMutablePointer<T>) {
    freeLibPQMemory(UnsafeMutableRawPointer(memory))
  }

  /// Closes the connection (sends Terminate). Idempotent.
  func finish() {
    guard let pointer else { return }
    self.pointer = nil
    PQfinish(pointer)
  }
}

extension String {
  var trimmingTrailingWhitespace: String {
    var text = Substring(self)
    while let last = text.last, last.isWhitespace { text = text.dropLast() }
    return String(text)
  }
}
