import CharterCalendar
import CharterTOML

/// Readers for the value shapes every profile section shares: a citation, a cited value,
/// a period, a threshold. Each rejects unknown keys so a typo is an error, not a default.
extension TOMLReader {
  static let citationKeys: Set<String> = ["article", "interpretation", "note"]

  /// `article = "AII art. 23"`, optional `interpretation = true` and `note = "..."`.
  func citation() throws(TOMLError) -> Citation {
    let article = try string("article")
    guard !article.allSatisfy(\.isWhitespace) else {
      throw error("article", "an article must name its source, e.g. \"AII art. 23\"")
    }
    return Citation(
      article: article, interpretation: try optionalBool("interpretation") ?? false,
      note: try optionalString("note"))
  }

  /// `key = { value = ..., article = ... }` read with `read` on the inner table.
  func cited<Value>(
    _ key: String, _ read: (TOMLReader) throws(TOMLError) -> Value
  ) throws(TOMLError) -> Cited<Value> {
    let inner = try table(key)
    try inner.rejectUnknownKeys(allowed: Self.citationKeys.union(["value"]))
    return Cited(try read(inner), try inner.citation())
  }

  func optionalCited<Value>(
    _ key: String, _ read: (TOMLReader) throws(TOMLError) -> Value
  ) throws(TOMLError) -> Cited<Value>? {
    self[key] == nil ? nil : try cited(key, read)
  }

  func citedBool(_ key: String) throws(TOMLError) -> Cited<Bool> {
    try cited(key) { (inner) throws(TOMLError) in try inner.bool("value") }
  }

  func optionalCitedBool(_ key: String) throws(TOMLError) -> Cited<Bool>? {
    self[key] == nil ? nil : try citedBool(key)
  }

  /// A cited integer within `range` (a cap, an age, a count).
  func citedInt(_ key: String, in range: ClosedRange<Int>) throws(TOMLError) -> Cited<Int> {
    try cited(key) { (inner) throws(TOMLError) in try inner.int("value", in: range) }
  }

  func optionalCitedInt(_ key: String, in range: ClosedRange<Int>) throws(TOMLError) -> Cited<Int>?
  {
    self[key] == nil ? nil : try citedInt(key, in: range)
  }

  func citedString(_ key: String) throws(TOMLError) -> Cited<String> {
    try cited(key) { (inner) throws(TOMLError) in try inner.identifier("value") }
  }

  func optionalCitedString(_ key: String) throws(TOMLError) -> Cited<String>? {
    self[key] == nil ? nil : try citedString(key)
  }

  /// An integer that must lie in `range`, e.g. a cap of at least 1.
  func int(_ key: String, in range: ClosedRange<Int>) throws(TOMLError) -> Int {
    let value = try int(key)
    guard range.contains(value) else {
      throw error(key, "\(value) is out of range: expected \(Self.describe(range))")
    }
    return value
  }

  func optionalInt(_ key: String, in range: ClosedRange<Int>) throws(TOMLError) -> Int? {
    self[key] == nil ? nil : try int(key, in: range)
  }

  private static func describe(_ range: ClosedRange<Int>) -> String {
    range.upperBound == Int.max
      ? "at least \(range.lowerBound)" : "\(range.lowerBound)...\(range.upperBound)"
  }

  /// An id of a tier, body, post or matter: lowercase ASCII letters, digits, `_` and `-`.
  func identifier(_ key: String) throws(TOMLError) -> String {
    let value = try string(key)
    guard Self.isIdentifier(value) else {
      throw error(key, "\"\(value)\" is not an id: use lowercase letters, digits, '_' and '-'")
    }
    return value
  }

  func optionalIdentifier(_ key: String) throws(TOMLError) -> String? {
    self[key] == nil ? nil : try identifier(key)
  }

  static func isIdentifier(_ text: String) -> Bool {
    !text.isEmpty
      && text.unicodeScalars.allSatisfy { scalar in
        ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "_"
          || scalar == "-"
      }
  }

  /// A string that must be one of an enumeration's raw values.
  func choice<Choice: RawRepresentable & CaseIterable>(
    _ key: String, _ type: Choice.Type
  ) throws(TOMLError) -> Choice where Choice.RawValue == String {
    let text = try string(key)
    guard let value = Choice(rawValue: text) else {
      throw error(key, "\"\(text)\" is not one of: \(Self.choices(type))")
    }
    return value
  }

  func choiceSet<Choice: RawRepresentable & CaseIterable & Hashable>(
    _ key: String, _ type: Choice.Type
  ) throws(TOMLError) -> Set<Choice> where Choice.RawValue == String {
    var values: Set<Choice> = []
    for text in try stringArray(key) {
      guard let value = Choice(rawValue: text) else {
        throw error(key, "\"\(text)\" is not one of: \(Self.choices(type))")
      }
      values.insert(value)
    }
    return values
  }

  private static func choices<Choice: RawRepresentable & CaseIterable>(_ type: Choice.Type)
    -> String
  where Choice.RawValue == String {
    type.allCases.map(\.rawValue).joined(separator: ", ")
  }

  // MARK: - Periods and thresholds

  static let periodKeys: Set<String> = ["working_days", "calendar_days"]

  /// `{ working_days = 10, article = ... }` or `{ calendar_days = 30, article = ... }`.
  func period(_ key: String) throws(TOMLError) -> Cited<CalendarPeriod> {
    let inner = try table(key)
    try inner.rejectUnknownKeys(allowed: Self.citationKeys.union(Self.periodKeys))
    return Cited(try inner.bareperiod(), try inner.citation())
  }

  func optionalPeriod(_ key: String) throws(TOMLError) -> Cited<CalendarPeriod>? {
    self[key] == nil ? nil : try period(key)
  }

  /// Exactly one of `working_days` / `calendar_days` in this table, not negative.
  func bareperiod() throws(TOMLError) -> CalendarPeriod {
    let working = try optionalInt("working_days")
    let calendar = try optionalInt("calendar_days")
    switch (working, calendar) {
    case (let days?, nil):
      guard days >= 0 else { throw error("working_days", "a period cannot be negative (\(days))") }
      return .workingDays(days)
    case (nil, let days?):
      guard days >= 0 else { throw error("calendar_days", "a period cannot be negative (\(days))") }
      return .calendarDays(days)
    case (.some, .some):
      throw error("calendar_days", "give either working_days or calendar_days, not both")
    case (nil, nil):
      throw error(nil, "a period needs working_days or calendar_days")
    }
  }

  static let thresholdKeys: Set<String> = ["fraction", "sense", "base"]

  /// `{ fraction = "2/3", sense = "inclusive", base = "members", article = ... }`.
  func threshold(_ key: String) throws(TOMLError) -> Cited<Threshold> {
    let inner = try table(key)
    try inner.rejectUnknownKeys(allowed: Self.citationKeys.union(Self.thresholdKeys))
    let fraction = try inner.fraction("fraction")
    let threshold = Threshold(
      fraction, try inner.choice("sense", ThresholdSense.self),
      of: try inner.choice("base", ThresholdBase.self))
    return Cited(threshold, try inner.citation())
  }

  func optionalThreshold(_ key: String) throws(TOMLError) -> Cited<Threshold>? {
    self[key] == nil ? nil : try threshold(key)
  }

  /// A fraction in (0, 1] written as a string: "2/3", "1/2", "1".
  func fraction(_ key: String) throws(TOMLError) -> Fraction {
    let text = try string(key)
    guard let fraction = Fraction(parsing: text) else {
      throw error(key, "expected a fraction like \"2/3\", found \"\(text)\"")
    }
    guard fraction.numerator > 0, fraction.numerator <= fraction.denominator else {
      throw error(key, "a threshold fraction must be in (0, 1], found \"\(text)\"")
    }
    guard fraction.denominator <= Fraction.largestDenominator else {
      throw error(key, "denominator too large (at most \(Fraction.largestDenominator))")
    }
    return fraction
  }

  /// `{ count = 2, per = "year", article = ... }`.
  func recurrence(_ key: String) throws(TOMLError) -> Cited<Recurrence> {
    let inner = try table(key)
    try inner.rejectUnknownKeys(allowed: Self.citationKeys.union(["count", "per"]))
    let recurrence = Recurrence(
      count: try inner.int("count", in: 1...366), per: try inner.choice("per", RecurrenceUnit.self))
    return Cited(recurrence, try inner.citation())
  }

  func optionalRecurrence(_ key: String) throws(TOMLError) -> Cited<Recurrence>? {
    self[key] == nil ? nil : try recurrence(key)
  }

  /// `{ years = 5, article = ... }` or `{ parent_term = true, article = ... }`.
  func termLength(_ key: String) throws(TOMLError) -> Cited<TermLength> {
    let inner = try table(key)
    try inner.rejectUnknownKeys(allowed: Self.citationKeys.union(["years", "parent_term"]))
    let years = try inner.optionalInt("years", in: 1...100)
    let parent = try inner.optionalBool("parent_term") ?? false
    let length: TermLength
    switch (years, parent) {
    case (let years?, false): length = .years(years)
    case (nil, true): length = .parentTerm
    case (.some, true):
      throw inner.error("parent_term", "give either years or parent_term, not both")
    case (nil, false): throw inner.error(nil, "a term needs years = N or parent_term = true")
    }
    return Cited(length, try inner.citation())
  }

  func optionalTermLength(_ key: String) throws(TOMLError) -> Cited<TermLength>? {
    self[key] == nil ? nil : try termLength(key)
  }

  /// `key = [ { value = "...", article = "..." }, ... ]`: conditions stated in words.
  func citedTexts(_ key: String) throws(TOMLError) -> [Cited<String>] {
    var texts: [Cited<String>] = []
    for inner in try optionalTableArray(key) {
      try inner.rejectUnknownKeys(allowed: Self.citationKeys.union(["value"]))
      texts.append(Cited(try inner.string("value"), try inner.citation()))
    }
    return texts
  }
}

extension Fraction {
  /// Profiles state thresholds like "2/3"; a bound keeps the exact arithmetic far from overflow.
  static let largestDenominator = 1000
}
