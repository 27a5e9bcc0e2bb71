/// An exact non-negative rational number, always in lowest terms. Thresholds in charters
/// ("2/3", "半数" = 1/2) are fractions; they are compared by cross-multiplication, never as
/// floating point (RULES.md §0).
public struct Fraction: Sendable, Hashable, CustomStringConvertible {
  public let numerator: Int
  public let denominator: Int

  /// nil unless `denominator > 0` and `numerator >= 0`.
  public init?(numerator: Int, denominator: Int) {
    guard denominator > 0, numerator >= 0 else { return nil }
    let divisor = Fraction.gcd(numerator, denominator)
    self.numerator = numerator / divisor
    self.denominator = denominator / divisor
  }

  /// Parses "2/3" (digits, a slash, digits; spaces around the slash allowed) or "1".
  public init?(parsing text: String) {
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    func number(_ part: Substring) -> Int? {
      let trimmed = part.trimmingSpaces
      guard !trimmed.isEmpty, trimmed.allSatisfy({ $0.isASCII && $0.isNumber }), trimmed.count <= 9
      else {
        return nil
      }
      return Int(trimmed)
    }
    switch parts.count {
    case 1:
      guard let whole = number(parts[0]) else { return nil }
      self.init(numerator: whole, denominator: 1)
    case 2:
      guard let top = number(parts[0]), let bottom = number(parts[1]) else { return nil }
      self.init(numerator: top, denominator: bottom)
    default:
      return nil
    }
  }

  public static let half = Fraction(numerator: 1, denominator: 2)!
  public static let twoThirds = Fraction(numerator: 2, denominator: 3)!
  public static let one = Fraction(numerator: 1, denominator: 1)!

  public var description: String { "\(numerator)/\(denominator)" }

  /// Compares `count / base` with this fraction exactly: the sign of
  /// `count * denominator - numerator * base`, computed without overflow.
  func compare(count: Int, of base: Int) -> ComparisonOrder {
    let left = count.multipliedFullWidth(by: denominator)
    let right = numerator.multipliedFullWidth(by: base)
    if left.high != right.high { return left.high < right.high ? .below : .above }
    if left.low != right.low { return left.low < right.low ? .below : .above }
    return .equal
  }

  enum ComparisonOrder { case below, equal, above }

  private static func gcd(_ a: Int, _ b: Int) -> Int {
    var (a, b) = (a, b)
    while b != 0 { (a, b) = (b, a % b) }
    return max(a, 1)
  }
}

extension Substring {
  fileprivate var trimmingSpaces: Substring {
    var text = self
    while text.first == " " { text = text.dropFirst() }
    while text.last == " " { text = text.dropLast() }
    return text
  }
}
