public import CharterProtocol

/// Which lines the history file may keep: never one that carries a secret argument
/// (LOGIN's password, ADMIN PASSWD's new password), nor a mistyped line that looks like
/// one (`LOGN alice secret`), since history files are read by backups and editors.
public enum HistoryPolicy {
  public static func shouldRemember(_ line: String, table: CommandTable = .admin) -> Bool {
    let trimmed = line.trimming(" \t")
    guard !trimmed.isEmpty else { return false }
    let request: ParsedRequest
    do {
      request = try RequestParser.parse(Array(trimmed.utf8))
    } catch {
      return !mentionsSecretCommand(trimmed)
    }
    switch table.lookUp(request) {
    case .command(let spec, _):
      return spec.secretArgumentNames.isEmpty
    case .unknown:
      // The nearest command decides: a typo of LOGIN may still hold a password.
      let typed = request.words.map(\.text)
      if let nearest = table.nearest(to: typed), !nearest.secretArgumentNames.isEmpty,
        EditDistanceCheck.isClose(typed, to: nearest)
      {
        return false
      }
      return !mentionsSecretCommand(trimmed)
    }
  }

  private static func mentionsSecretCommand(_ line: String) -> Bool {
    let upper = line.uppercased()
    return upper.contains("LOGIN") || upper.contains("PASSWD")
  }
}

/// Whether typed words are a near miss of a command (at most two edits per command word).
enum EditDistanceCheck {
  static func isClose(_ typed: [String], to spec: CommandSpec) -> Bool {
    guard typed.count >= spec.words.count else { return false }
    return zip(typed, spec.words).allSatisfy { distance($0.uppercased(), $1) <= 2 }
  }

  static func distance(_ a: String, _ b: String) -> Int {
    let left = Array(a)
    let right = Array(b)
    if left.isEmpty { return right.count }
    if right.isEmpty { return left.count }
    var previous = Array(0...right.count)
    for (i, l) in left.enumerated() {
      var current = [i + 1] + Array(repeating: 0, count: right.count)
      for (j, r) in right.enumerated() {
        current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (l == r ? 0 : 1))
      }
      previous = current
    }
    return previous[right.count]
  }
}
