/// A checked argument value.
public enum ArgumentValue: Hashable, Sendable {
  /// `.string`, `.text`, `.slug`, `.uuid` (lower-cased) and `.oneOf` (as listed in the spec).
  case string(String)
  case integer(Int)
  case date(year: Int, month: Int, day: Int)
}

/// The arguments of one invocation, by name, after checking against the spec.
public struct CommandArguments: Hashable, Sendable {
  public var values: [String: ArgumentValue]

  public init(_ values: [String: ArgumentValue] = [:]) { self.values = values }

  public subscript(_ name: String) -> ArgumentValue? { values[name] }

  public func string(_ name: String) -> String? {
    if case .string(let value) = values[name] { value } else { nil }
  }

  public func integer(_ name: String) -> Int? {
    if case .integer(let value) = values[name] { value } else { nil }
  }

  public func date(_ name: String) -> (year: Int, month: Int, day: Int)? {
    if case .date(let year, let month, let day) = values[name] { (year, month, day) } else { nil }
  }
}

/// Checks the words after the command words against the spec.
enum ArgumentBinder {
  static func bind(_ words: ArraySlice<RequestWord>, to spec: CommandSpec) throws(RequestError)
    -> CommandArguments
  {
    let positionalSpecs = spec.arguments.filter { !$0.isNamedOption }
    let optionSpecs = Dictionary(
      spec.arguments.filter(\.isNamedOption).map { ($0.name, $0) },
      uniquingKeysWith: { first, _ in first })
    var values: [String: ArgumentValue] = [:]
    var positional: [RequestWord] = []
    // A word is an option only when its key names an option of this command, so a password
    // such as `a=b` stays a positional argument.
    for word in words {
      if let key = word.optionKey, let option = optionSpecs[key], let text = word.optionValue {
        guard values[option.name] == nil else {
          throw usageError(spec, "option \(key)= given twice")
        }
        values[option.name] = try check(text, as: option, of: spec)
      } else {
        positional.append(word)
      }
    }
    let required = positionalSpecs.filter { !$0.isOptional }.count
    if positional.count > positionalSpecs.count {
      let extra = positional[positionalSpecs.count]
      if let key = extra.optionKey, !optionSpecs.isEmpty {
        let known = optionSpecs.keys.sorted().joined(separator: ", ")
        throw usageError(spec, "unknown option \(key)=; options: \(known)")
      }
      throw usageError(
        spec, "too many arguments (\(positional.count) given, at most \(positionalSpecs.count))")
    }
    if positional.count < required {
      let missing = positionalSpecs[positional.count]
      throw usageError(spec, "missing <\(missing.name)>")
    }
    for (word, argument) in zip(positional, positionalSpecs) {
      values[argument.name] = try check(word.text, as: argument, of: spec)
    }
    return CommandArguments(values)
  }

  private static func usageError(_ spec: CommandSpec, _ problem: String) -> RequestError {
    RequestError(.badArguments, "\(problem); usage: \(spec.usage)")
  }

  private static func check(_ text: String, as argument: ArgumentSpec, of spec: CommandSpec)
    throws(RequestError)
    -> ArgumentValue
  {
    func invalid(_ expectation: String) -> RequestError {
      // A secret is never echoed back.
      let shown = argument.isSecret ? "" : " \(ReplyEncoder.escapeField(String(text.prefix(40))))"
      return usageError(spec, "<\(argument.name)>\(shown) is not \(expectation)")
    }
    switch argument.kind {
    case .string:
      guard
        !text.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }
        )
      else { throw invalid("one line of text (no control characters)") }
      guard text.count <= ArgumentKind.maxStringLength else {
        throw invalid("at most \(ArgumentKind.maxStringLength) characters")
      }
      return .string(text)
    case .text:
      return .string(text)
    case .integer(let range):
      let digits = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
      guard !digits.isEmpty, digits.utf8.allSatisfy({ (48...57).contains($0) }),
        let value = Int(text),
        range.contains(value)
      else { throw invalid("an integer from \(range.lowerBound) to \(range.upperBound)") }
      return .integer(value)
    case .date:
      guard let date = parseDate(text) else { throw invalid("a date YYYY-MM-DD") }
      return .date(year: date.0, month: date.1, day: date.2)
    case .uuid:
      guard isUUID(text) else { throw invalid("a UUID (8-4-4-4-12 hexadecimal digits)") }
      return .string(text.lowercased())
    case .slug:
      guard isSlug(text) else {
        throw invalid("a slug (2-63 of a-z, 0-9 and -, starting with a letter or digit)")
      }
      return .string(text)
    case .oneOf(let choices):
      guard let choice = choices.first(where: { $0.caseInsensitiveEquals(text) }) else {
        throw invalid("one of \(choices.joined(separator: ", "))")
      }
      return .string(choice)
    }
  }

  static func parseDate(_ text: String) -> (Int, Int, Int)? {
    let bytes = Array(text.utf8)
    guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else {
      return nil
    }
    let parts = text.split(separator: "-")
    guard parts.count == 3, parts.allSatisfy({ $0.utf8.allSatisfy { (48...57).contains($0) } }),
      let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
      (1...12).contains(month), day >= 1
    else { return nil }
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    return day <= lengths[month - 1] ? (year, month, day) : nil
  }

  static func isUUID(_ text: String) -> Bool {
    let bytes = Array(text.utf8)
    guard bytes.count == 36 else { return false }
    for (index, byte) in bytes.enumerated() {
      if [8, 13, 18, 23].contains(index) {
        guard byte == UInt8(ascii: "-") else { return false }
      } else {
        guard (48...57).contains(byte) || (65...70).contains(byte) || (97...102).contains(byte)
        else {
          return false
        }
      }
    }
    return true
  }

  static func isSlug(_ text: String) -> Bool {
    let bytes = Array(text.utf8)
    guard (2...63).contains(bytes.count), let first = bytes.first, first != UInt8(ascii: "-") else {
      return false
    }
    return bytes.allSatisfy {
      (97...122).contains($0) || (48...57).contains($0) || $0 == UInt8(ascii: "-")
    }
  }
}

extension String {
  func caseInsensitiveEquals(_ other: String) -> Bool { uppercased() == other.uppercased() }
}
