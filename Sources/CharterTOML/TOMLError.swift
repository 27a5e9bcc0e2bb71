/// A parse or validation error, located in the source so an operator can fix the file.
public struct TOMLError: Error, CustomStringConvertible, Sendable, Equatable {
  /// Set by the caller that knows the file name.
  public var file: String?
  /// 1-based; 0 when the error concerns the whole document.
  public var line: Int
  /// 1-based, counted in Unicode scalars.
  public var column: Int
  /// Dotted key path where known, e.g. "bodies.council.quorum".
  public var key: String?
  public var message: String

  public init(file: String? = nil, line: Int, column: Int, key: String? = nil, message: String) {
    self.file = file
    self.line = line
    self.column = column
    self.key = key
    self.message = message
  }

  /// `charters/aii.toml:12:5: bodies.council.quorum: expected a fraction like "2/3"`.
  public var description: String {
    var text = ""
    if let file { text += "\(file):" }
    text += "\(line):\(column): "
    if let key, !key.isEmpty { text += "\(key): " }
    return text + message
  }
}
