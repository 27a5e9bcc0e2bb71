import Foundation

/// One numbered SQL file of `SQL/`, e.g. `0001_foundation.sql`: version 1, name `foundation`.
public struct MigrationFile: Sendable, Equatable {
  public var version: Int
  public var name: String
  public var fileName: String
  public var sql: String

  public init(version: Int, name: String, fileName: String, sql: String) {
    self.version = version
    self.name = name
    self.fileName = fileName
    self.sql = sql
  }

  /// Parses `NNNN_name.sql` (four or more digits, lower-case name); nil for any other name.
  static func parse(fileName: String) -> (version: Int, name: String)? {
    guard fileName.hasSuffix(".sql") else { return nil }
    let stem = fileName.dropLast(4)
    guard let underscore = stem.firstIndex(of: "_") else { return nil }
    let digits = stem[..<underscore]
    let name = stem[stem.index(after: underscore)...]
    guard digits.count >= 4, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
      let version = Int(digits), version > 0,
      !name.isEmpty,
      name.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") })
    else { return nil }
    return (version, String(name))
  }

  /// Every `.sql` file of `directory`, ordered by version. Other files (a README) are ignored;
  /// a `.sql` file with a malformed name or a version used twice is an error, not skipped.
  static func load(from directory: URL) throws(MigrationError) -> [MigrationFile] {
    let names: [String]
    do {
      names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
    } catch {
      throw .unreadableDirectory(path: directory.path, reason: "\(error)")
    }
    var files: [MigrationFile] = []
    for fileName in names.sorted() where fileName.hasSuffix(".sql") {
      guard let (version, name) = parse(fileName: fileName) else {
        throw .invalidFileName(file: fileName)
      }
      let url = directory.appendingPathComponent(fileName)
      guard let data = FileManager.default.contents(atPath: url.path) else {
        throw .unreadableFile(file: fileName)
      }
      guard let sql = String(data: data, encoding: .utf8) else {
        throw .notUTF8(file: fileName)
      }
      if let other = files.first(where: { $0.version == version }) {
        throw .duplicateVersion(version, files: [other.fileName, fileName])
      }
      files.append(MigrationFile(version: version, name: name, fileName: fileName, sql: sql))
    }
    return files.sorted { $0.version < $1.version }
  }
}
