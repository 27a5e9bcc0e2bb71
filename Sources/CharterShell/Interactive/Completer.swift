public import CharterProtocol

/// What Tab offers: command words from the command table, then the arguments the table
/// describes — options (`limit=`), listed values (`MODE JSON`, roles) and tenant names
/// for the tenant a command reads (`TENANT USE ai⇥`).
///
/// Pure: the tenant names come from a closure (the shell fetches them with TENANT LIST the
/// first time they are needed, and only for operators).
public struct Completer {
  public let table: CommandTable
  public let tenantNames: () -> [String]

  public init(table: CommandTable = .admin, tenantNames: @escaping () -> [String]) {
    self.table = table
    self.tenantNames = tenantNames
  }

  /// The words that may replace the word being typed at the end of `lineBeforeCursor`,
  /// sorted, in the case the user types (`pi` → `ping`, `PI` → `PING`).
  public func candidates(lineBeforeCursor line: String) -> [String] {
    let endsWithSpace = line.last == " " || line.last == "\t"
    var words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
    let current = endsWithSpace || words.isEmpty ? "" : words.removeLast()
    let upperWords = words.map { $0.uppercased() }

    // Command words: the specs whose words start with what is typed.
    let growing = table.specs.filter { spec in
      spec.words.count > upperWords.count
        && Array(spec.words.prefix(upperWords.count)) == upperWords
    }
    let exact = table.specs.first { spec in
      spec.words.count <= upperWords.count
        && Array(upperWords.prefix(spec.words.count)) == spec.words
    }
    if exact == nil {
      let next = Set(growing.map { $0.words[upperWords.count] })
      return Self.matching(next, current, commandWord: true)
    }
    guard let spec = exact else { return [] }
    let arguments = Array(words.dropFirst(spec.words.count))
    return argumentCandidates(spec, typed: arguments, current: current)
  }

  private func argumentCandidates(_ spec: CommandSpec, typed: [String], current: String)
    -> [String]
  {
    if spec.name == "HELP" {
      // HELP takes command words: complete them as if they started a line.
      let inner = Completer(table: table, tenantNames: { [] })
      return inner.candidates(lineBeforeCursor: (typed + [current]).joined(separator: " "))
    }
    let options = spec.arguments.filter(\.isNamedOption)
    if let equals = current.firstIndex(of: "=") {
      let name = current[..<equals].lowercased()
      guard let option = options.first(where: { $0.name == name }) else { return [] }
      let valueTyped = String(current[current.index(after: equals)...])
      return values(for: option).filter { Self.hasPrefix($0, valueTyped) }.map {
        "\(option.name)=\($0)"
      }.sorted()
    }
    let usedOptions = Set(typed.compactMap { $0.split(separator: "=").first?.lowercased() })
    let positionalTyped = typed.filter { word in
      !options.contains { word.lowercased().hasPrefix($0.name + "=") }
    }.count
    let positional = spec.arguments.filter { !$0.isNamedOption }
    var result: [String] = []
    if positionalTyped < positional.count {
      let argument = positional[positionalTyped]
      result += values(for: argument, of: spec).filter { Self.hasPrefix($0, current) }
    }
    result += options.filter { !usedOptions.contains($0.name) }.map { $0.name + "=" }
      .filter { Self.hasPrefix($0, current) }
    return result.sorted()
  }

  /// Known values of an argument: listed words, or tenant names for a tenant a command
  /// reads (not the new slug of TENANT CREATE).
  private func values(for argument: ArgumentSpec, of spec: CommandSpec? = nil) -> [String] {
    switch argument.kind {
    case .oneOf(let words): return words
    case .slug where spec.map { !$0.changesState } ?? false: return tenantNames()
    default: return []
    }
  }

  static func hasPrefix(_ candidate: String, _ typed: String) -> Bool {
    candidate.lowercased().hasPrefix(typed.lowercased())
  }

  private static func matching(_ words: Set<String>, _ typed: String, commandWord: Bool)
    -> [String]
  {
    let lower = typed.contains { $0.isLowercase } && !typed.contains { $0.isUppercase }
    return words.filter { hasPrefix($0, typed) }.map { lower ? $0.lowercased() : $0 }.sorted()
  }

  /// The longest common prefix of the candidates (what Tab inserts when several match).
  public static func commonPrefix(_ candidates: [String]) -> String {
    guard var prefix = candidates.first else { return "" }
    for candidate in candidates.dropFirst() {
      while !candidate.hasPrefix(prefix) { prefix.removeLast() }
    }
    return prefix
  }
}
