public import CharterProtocol

#if canImport(Glibc)
  import Glibc
#endif

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
  public static func fileArgument(of line: String, command: String = command) -> String? {
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

/// `\export-register FILE`: REGISTER EXPORT in pages of 10,000 members written to FILE, for a
/// register whose single reply would pass the protocol's 16 MiB.
public enum RegisterExportDownload {
  public static let command = "\\export-register"
  public static let pageSize = 10_000

  /// The cursor of a page's status `more: after=<cursor>`, nil on the last page.
  static func cursor(of status: ReplyStatus) -> String? {
    guard case .ok(let message) = status, let range = message.range(of: "more: after=") else {
      return nil
    }
    return String(message[range.upperBound...]).split(separator: " ").first.map(String.init)
  }
}

extension ShellSession {
  /// Runs `\export-register FILE`: the file is replaced; the reply says how many lines.
  func exportRegister(path: String) throws(ConnectionLost) -> Reply {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard fd >= 0 else {
      return .error(.badArguments, "cannot write \(path): \(String(cString: strerror(errno)))")
    }
    defer { close(fd) }
    var after: String?
    var members = 0
    repeat {
      let request =
        "REGISTER EXPORT limit=\(RegisterExportDownload.pageSize)"
        + (after.map { " after=\($0)" } ?? "")
      let page = try execute(request)
      guard page.status.isOK else { return page }
      let text = page.rows.map { ($0.first ?? "") + "\n" }.joined()
      var bytes = Array(text.utf8)[...]
      while !bytes.isEmpty {
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        if written < 0 {
          if errno == EINTR { continue }
          return .error(.badArguments, "cannot write \(path): \(String(cString: strerror(errno)))")
        }
        bytes = bytes.dropFirst(written)
      }
      members += page.rows.count - (after == nil ? 1 : 0)
      after = RegisterExportDownload.cursor(of: page.status)
    } while after != nil
    return .ok("\(members) members written to \(path)")
  }

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
