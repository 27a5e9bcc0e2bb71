/// "At least / more than a fraction of a base": a quorum or a pass threshold.
///
/// RULES.md §0: 以上 includes the number itself (`.inclusive`: count/base >= fraction);
/// 超过 excludes it (`.exclusive`: count/base > fraction).
public struct Threshold: Sendable, Hashable, CustomStringConvertible {
  public var fraction: Fraction
  public var sense: ThresholdSense
  public var base: ThresholdBase

  public init(_ fraction: Fraction, _ sense: ThresholdSense, of base: ThresholdBase) {
    self.fraction = fraction
    self.sense = sense
    self.base = base
  }

  /// Whether `count` out of `baseCount` meets the threshold, by exact cross-multiplication.
  public func isMet(count: Int, of baseCount: Int) -> Bool {
    switch (sense, fraction.compare(count: count, of: baseCount)) {
    case (.inclusive, .equal), (_, .above): return true
    case (.exclusive, .equal), (_, .below): return false
    }
  }

  /// The smallest count that meets the threshold for `baseCount` (may exceed `baseCount`
  /// when the threshold cannot be met, e.g. "more than all"). Ceiling arithmetic on the
  /// exact product, so it never overflows; it saturates at `Int.max`.
  public func minimumCount(of baseCount: Int) -> Int {
    let base = max(baseCount, 0)
    let quotient: Int
    let remainder: Int
    if fraction.numerator <= fraction.denominator {
      // numerator * base / denominator <= base: the quotient always fits.
      (quotient, remainder) = fraction.denominator.dividingFullWidth(
        fraction.numerator.multipliedFullWidth(by: base))
    } else {
      let (product, overflow) = fraction.numerator.multipliedReportingOverflow(by: base)
      guard !overflow else { return Int.max }
      (quotient, remainder) = product.quotientAndRemainder(dividingBy: fraction.denominator)
    }
    let exactlyAtTheFraction = remainder == 0
    switch sense {
    case .inclusive:
      return exactlyAtTheFraction ? quotient : quotient + 1
    case .exclusive:
      return quotient == Int.max ? Int.max : quotient + 1
    }
  }

  /// ">= 2/3 of members", "> 1/2 of present".
  public var description: String {
    "\(sense == .inclusive ? ">=" : ">") \(fraction) of \(base.rawValue)"
  }
}

public enum ThresholdSense: String, Sendable, Hashable, CaseIterable {
  /// 以上, 半数以上, 不少于: the number itself is enough.
  case inclusive
  /// 超过, 过半数: strictly more.
  case exclusive
}

public enum ThresholdBase: String, Sendable, Hashable, CaseIterable {
  /// All who sit in the body (quorum; AII art. 27 "2/3 of members").
  case members
  /// Those counted present at the meeting (pass thresholds: "到会理事 2/3 以上").
  case present
}
