/// The outcome of one statement. Rows are read lazily from libpq's result, without copying.
public struct PostgresResult: Sendable {
  let storage: LibPQResult

  init(storage: LibPQResult) {
    self.storage = storage
  }

  public var rows: PostgresRows { PostgresRows(storage: storage) }

  /// Rows inserted, updated, deleted or returned, as the server's command tag says.
  public var affectedRows: Int { storage.affectedRows }

  /// The server's command tag, e.g. "INSERT 0 1".
  public var commandTag: String { storage.commandTag }

  public var columnCount: Int { storage.columnCount }

  /// The column names, in order.
  public var columnNames: [String] {
    (0..<storage.columnCount).map { storage.columnName($0) ?? "" }
  }

  /// The first column of the only row, e.g. for `SELECT count(*)`. Throws when there is no row.
  public func scalar<T: PostgresDecodable>(as type: T.Type = T.self) throws(PostgresDecodingError)
    -> T
  {
    guard let row = rows.first else {
      throw PostgresDecodingError(
        kind: .columnNotFound, column: "#0 of row 0 (the result has no rows)",
        swiftType: String(describing: type),
        postgresTypeOID: 0)
    }
    return try row.decode(0, as: type)
  }
}

/// The rows of a result: a random-access collection of `PostgresRow`.
public struct PostgresRows: RandomAccessCollection, Sendable {
  let storage: LibPQResult

  public var startIndex: Int { 0 }
  public var endIndex: Int { storage.rowCount }

  public subscript(position: Int) -> PostgresRow {
    PostgresRow(storage: storage, index: position)
  }
}

/// One row. Columns are read by index or exact name.
public struct PostgresRow: Sendable {
  let storage: LibPQResult
  let index: Int

  public var columnCount: Int { storage.columnCount }

  public func decode<T: PostgresDecodable>(_ column: Int, as type: T.Type = T.self)
    throws(PostgresDecodingError) -> T
  {
    guard column >= 0, column < storage.columnCount else {
      throw PostgresDecodingError(
        kind: .columnNotFound, column: "#\(column)", swiftType: String(describing: type),
        postgresTypeOID: 0)
    }
    return try T.decode(from: PostgresCell(result: storage, row: index, column: column))
  }

  public func decode<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self)
    throws(PostgresDecodingError)
    -> T
  {
    guard let position = storage.columnIndex(named: column) else {
      throw PostgresDecodingError(
        kind: .columnNotFound, column: column, swiftType: String(describing: type),
        postgresTypeOID: 0)
    }
    return try T.decode(from: PostgresCell(result: storage, row: index, column: position))
  }

  /// True when the column is SQL NULL.
  public func isNull(_ column: Int) -> Bool {
    column >= 0 && column < storage.columnCount && storage.isNull(row: index, column: column)
  }
}
