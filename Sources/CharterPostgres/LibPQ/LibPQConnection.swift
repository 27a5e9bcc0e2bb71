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

  /// Takes ownership of a `PGconn` returned by `PQconnectdbParams`.
  private init(taking pointer: OpaquePointer) {
    self.pointer = pointer
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
    let connection = LibPQConnection(taking: raw)
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
  /// binary format.
  func execute(_ sql: String, _ bindings: PostgresBindings) throws(PostgresError) -> LibPQResult {
    guard let pointer else { throw PostgresError.closed }
    canceller?.waitForPendingRequests()
    let raw = bindings.withCParameters { count, types, values, lengths, formats in
      PQexecParams(pointer, sql, count, types, values, lengths, formats, 1)
    }
    return try checked(raw)
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
