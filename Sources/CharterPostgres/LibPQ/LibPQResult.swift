internal import CCharterLibPQShims
internal import CLibPQ

#if canImport(Glibc)
  import Glibc
#endif

/// Owns one `PGresult`; `PQclear` happens here only. A `PGresult` is read-only once libpq has
/// returned it, and libpq documents that it may then be read from any thread, so this class
/// is Sendable and rows read it lazily without copying.
final class LibPQResult: @unchecked Sendable {
  private let pointer: OpaquePointer

  /// Takes ownership of a result returned by `PQexec`/`PQexecParams`.
  init(taking pointer: OpaquePointer) {
    self.pointer = pointer
  }

  deinit {
    PQclear(pointer)
  }

  var status: ExecStatusType { PQresultStatus(pointer) }

  var rowCount: Int { Int(PQntuples(pointer)) }
  var columnCount: Int { Int(PQnfields(pointer)) }

  func isNull(row: Int, column: Int) -> Bool {
    PQgetisnull(pointer, Int32(row), Int32(column)) == 1
  }

  /// The bytes of a value; valid as long as this result lives.
  func bytes(row: Int, column: Int) -> UnsafeRawBufferPointer {
    let length = Int(PQgetlength(pointer, Int32(row), Int32(column)))
    guard let value = PQgetvalue(pointer, Int32(row), Int32(column)) else {
      return UnsafeRawBufferPointer(start: nil, count: 0)
    }
    return UnsafeRawBufferPointer(start: value, count: length)
  }

  func typeOID(column: Int) -> UInt32 {
    PQftype(pointer, Int32(column))
  }

  func columnName(_ column: Int) -> String? {
    guard let name = PQfname(pointer, Int32(column)) else { return nil }
    return String(cString: name)
  }

  /// The index of the column named exactly `name` (no case folding, unlike `PQfnumber`).
  func columnIndex(named name: String) -> Int? {
    for column in 0..<columnCount {
      if let field = PQfname(pointer, Int32(column)),
        name.utf8.elementsEqual(UnsafeRawBufferPointer(start: field, count: strlen(field)))
      {
        return column
      }
    }
    return nil
  }

  var affectedRows: Int {
    guard let tuples = PQcmdTuples(pointer) else { return 0 }
    return Int(String(cString: tuples)) ?? 0
  }

  var commandTag: String {
    guard let status = PQcmdStatus(pointer) else { return "" }
    return String(cString: status)
  }

  var error: PostgresError {
    func field(_ code: Int32) -> String? {
      guard let value = PQresultErrorField(pointer, code) else { return nil }
      return String(cString: value)
    }
    let sqlState = field(ccharter_pg_diag_sqlstate())
    let fallback = PQresultErrorMessage(pointer).map {
      String(cString: $0).trimmingTrailingWhitespace
    }
    let message = field(ccharter_pg_diag_message_primary()) ?? fallback ?? "unknown error"
    let kind: PostgresError.Kind = sqlState == PostgresSQLState.queryCanceled ? .timeout : .server
    return PostgresError(
      kind: kind, sqlState: sqlState, message: message,
      detail: field(ccharter_pg_diag_message_detail()),
      hint: field(ccharter_pg_diag_message_hint()),
      constraint: field(ccharter_pg_diag_constraint_name()),
      table: field(ccharter_pg_diag_table_name()), column: field(ccharter_pg_diag_column_name()))
  }
}
