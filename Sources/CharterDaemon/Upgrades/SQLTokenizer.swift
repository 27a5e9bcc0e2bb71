/// A token of PostgreSQL's SQL, enough to recognise the statements of a migration: words
/// (keywords, identifiers, numbers), quoted identifiers, string constants (their text is not
/// kept: nothing inside a string or a function body may look like a statement) and symbols.
/// Comments are skipped.
struct SQLToken: Sendable, Equatable {
  enum Kind: Sendable, Equatable {
    case word
    case quotedIdentifier
    case string
    case symbol
  }

  var kind: Kind
  /// As written, without the quotes of a quoted identifier; "''" for any string constant.
  var text: String
  /// The 1-based line the token starts on.
  var line: Int

  /// Upper-cased for a word, so keywords compare as PostgreSQL compares them.
  var keyword: String { kind == .word ? text.uppercased() : "" }
  var isName: Bool { kind == .word || kind == .quotedIdentifier }
}

/// One statement of a file: its tokens, the `;` excluded.
struct SQLStatement: Sendable, Equatable {
  var tokens: [SQLToken]
  var line: Int { tokens.first?.line ?? 0 }

  /// The statement as one short line for a message: tokens joined by spaces, cut at 80
  /// characters.
  var shortText: String {
    var text = ""
    for token in tokens {
      let piece = token.kind == .quotedIdentifier ? "\"\(token.text)\"" : token.text
      if !text.isEmpty, token.text != ",", token.text != ")", token.text != ".",
        !text.hasSuffix("("), !text.hasSuffix(".")
      {
        text += " "
      }
      text += piece
      if text.count > 80 { return String(text.prefix(77)) + "..." }
    }
    return text
  }
}

enum SQLTokenizer {
  /// The statements of `sql`, split at `;` outside strings, quoted identifiers,
  /// dollar-quoted bodies and comments.
  static func statements(_ sql: String) -> [SQLStatement] {
    var statements: [SQLStatement] = []
    var current: [SQLToken] = []
    for token in tokens(sql) {
      if token.kind == .symbol, token.text == ";" {
        if !current.isEmpty { statements.append(SQLStatement(tokens: current)) }
        current = []
      } else {
        current.append(token)
      }
    }
    if !current.isEmpty { statements.append(SQLStatement(tokens: current)) }
    return statements
  }

  static func tokens(_ sql: String) -> [SQLToken] {
    let characters = Array(sql.unicodeScalars)
    var tokens: [SQLToken] = []
    var index = 0
    var line = 1

    func peek(_ offset: Int = 0) -> Unicode.Scalar? {
      index + offset < characters.count ? characters[index + offset] : nil
    }
    /// Advances over `count` characters, counting lines.
    func advance(_ count: Int = 1) {
      for _ in 0..<count where index < characters.count {
        if characters[index] == "\n" { line += 1 }
        index += 1
      }
    }
    func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
      scalar == "_" || scalar == "$" || scalar.properties.isAlphabetic
        || ("0"..."9").contains(scalar) || scalar.value > 0x7F
    }

    while let scalar = peek() {
      let start = line
      if scalar.properties.isWhitespace {
        advance()
      } else if scalar == "-", peek(1) == "-" {
        while let next = peek(), next != "\n" { advance() }
      } else if scalar == "/", peek(1) == "*" {
        // Block comments nest in PostgreSQL.
        var depth = 0
        repeat {
          if peek() == "/", peek(1) == "*" {
            depth += 1
            advance(2)
          } else if peek() == "*", peek(1) == "/" {
            depth -= 1
            advance(2)
          } else {
            advance()
          }
        } while depth > 0 && peek() != nil
      } else if scalar == "'" {
        // '' inside a constant is a quote; E'' constants also escape with a backslash.
        let escapes = tokens.last.map { $0.kind == .word && $0.keyword == "E" } ?? false
        advance()
        while let next = peek() {
          if escapes, next == "\\" {
            advance(2)
          } else if next == "'" {
            if peek(1) == "'" { advance(2) } else { break }
          } else {
            advance()
          }
        }
        advance()
        if escapes { tokens.removeLast() }
        tokens.append(SQLToken(kind: .string, text: "''", line: start))
      } else if scalar == "\"" {
        advance()
        var name = ""
        while let next = peek() {
          if next == "\"" {
            if peek(1) == "\"" {
              name.unicodeScalars.append("\"")
              advance(2)
              continue
            }
            break
          }
          name.unicodeScalars.append(next)
          advance()
        }
        advance()
        tokens.append(SQLToken(kind: .quotedIdentifier, text: name, line: start))
      } else if scalar == "$", let tag = dollarTag(characters, at: index) {
        advance(tag.count)
        while peek() != nil, !matches(characters, at: index, tag) { advance() }
        advance(tag.count)
        tokens.append(SQLToken(kind: .string, text: "''", line: start))
      } else if isWordCharacter(scalar) {
        var word = ""
        while let next = peek(), isWordCharacter(next) {
          word.unicodeScalars.append(next)
          advance()
        }
        tokens.append(SQLToken(kind: .word, text: word, line: start))
      } else {
        tokens.append(SQLToken(kind: .symbol, text: String(scalar), line: start))
        advance()
      }
    }
    return tokens
  }

  /// `$$` or `$tag$` starting at `index`, or nil (a `$1` parameter is not a tag).
  private static func dollarTag(_ characters: [Unicode.Scalar], at index: Int) -> [Unicode.Scalar]?
  {
    var end = index + 1
    while end < characters.count, characters[end] != "$" {
      let scalar = characters[end]
      let allowed =
        scalar == "_" || scalar.properties.isAlphabetic
        || (end > index + 1 && ("0"..."9").contains(scalar))
      guard allowed else { return nil }
      end += 1
    }
    guard end < characters.count else { return nil }
    return Array(characters[index...end])
  }

  private static func matches(
    _ characters: [Unicode.Scalar], at index: Int, _ tag: [Unicode.Scalar]
  ) -> Bool {
    guard index + tag.count <= characters.count else { return false }
    return Array(characters[index..<index + tag.count]) == tag
  }
}
