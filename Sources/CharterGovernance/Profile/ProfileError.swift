/// A profile that cannot be loaded: where (file, line, column, key) and why.
public struct ProfileError: Error, Sendable, Equatable, CustomStringConvertible {
  public var file: String
  /// 1-based; 0 when the error concerns the whole file.
  public var line: Int
  public var column: Int
  /// Full dotted key path, e.g. "bodies.council.quorum.fraction".
  public var key: String?
  public var message: String

  public init(file: String, line: Int, column: Int = 0, key: String?, message: String) {
    self.file = file
    self.line = line
    self.column = column
    self.key = key
    self.message = message
  }

  /// "charters/aii.toml:12:5: bodies.council.quorum: expected a fraction like \"2/3\""
  public var description: String {
    var text = file
    if line > 0 { text += ":\(line)" }
    if column > 0 { text += ":\(column)" }
    text += ": "
    if let key { text += "\(key): " }
    return text + message
  }
}
