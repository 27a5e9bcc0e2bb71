public import CharterProtocol

/// `\import-register FILE`: a local command of the shell that sends a register file (CSV, as
/// REGISTER EXPORT writes it) in the steps the line protocol needs (a request line holds at
/// most 64 KiB): REGISTER IMPORT BEGIN, the file in REGISTER IMPORT ROWS chunks, then the dry
/// run REGISTER IMPORT CHECK, whose reply it shows. Nothing is imported until the
/// administrator sends the REGISTER IMPORT APPLY the check names.
public enum RegisterImportUpload {
  public static let command = "\\import-register"

  /// Characters per chunk: at most 6 octets each once quoted (`\u0001`), so a line stays
  /// under the protocol's 64 KiB.
  public static let chunkCharacters = 10_000

  /// The file name of `\import-register FILE`, or nil when `line` is not that command.
  public static func fileArgument(of line: String) -> String? {
    let trimmed = line.trimming(" \t")
    guard trimmed.hasPrefix(command + " ") else { return nil }
    let path = String(trimmed.dropFirst(command.count)).trimming(" \t")
    return path.isEmpty ? nil : path
  }

  /// The ROWS requests that carry `text` into `batch`, in order.
  public static func rowRequests(batch: String, text: String) -> [String] {
    var requests: [String] = []
    var rest = Substring(text)
    while !rest.isEmpty {
      let chunk = rest.prefix(chunkCharacters)
      rest = rest.dropFirst(chunk.count)
      requests.append(
        "REGISTER IMPORT ROWS \(batch) \"\(RequestEncoder.quote(String(chunk)).quotedBody)\"")
    }
    return requests
  }

  /// The batch id of a REGISTER IMPORT BEGIN reply (`batch: <uuid>`).
  static func batch(of reply: Reply) -> String? {
    for row in reply.rows {
      if let line = row.first, line.hasPrefix("batch: ") { return String(line.dropFirst(7)) }
    }
    return nil
  }
}

extension String {
  /// The inside of a quoted request word (`RequestEncoder.quote` leaves a word without
  /// special characters bare; a chunk is always sent quoted).
  fileprivate var quotedBody: Substring {
    hasPrefix("\"") && hasSuffix("\"") && count >= 2 ? dropFirst().dropLast() : Substring(self)
  }
}

extension ShellSession {
  /// Runs `\import-register FILE`; the reply is the check's (or the first failure's).
  func importRegister(path: String) throws(ConnectionLost) -> Reply {
    let text: String
    do {
      guard let read = try TextFiles.read(path, limit: 256 << 20) else {
        return .error(.notFound, "no file \(path)")
      }
      text = read
    } catch {
      return .error(.badArguments, error.description)
    }
    let begun = try execute("REGISTER IMPORT BEGIN")
    guard begun.status.isOK, let batch = RegisterImportUpload.batch(of: begun) else {
      return begun
    }
    for request in RegisterImportUpload.rowRequests(batch: batch, text: text) {
      let reply = try execute(request)
      guard reply.status.isOK else { return reply }
    }
    return try execute("REGISTER IMPORT CHECK \(batch)")
  }
}
