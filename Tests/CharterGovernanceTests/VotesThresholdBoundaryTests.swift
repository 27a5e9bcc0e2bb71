import CharterGovernance
import Testing

/// One threshold of one shipped profile, with where it comes from.
struct ProfileThreshold: Sendable, CustomTestStringConvertible {
  var label: String
  var threshold: Threshold
  var citation: Citation

  var testDescription: String { "\(label): \(threshold) (\(citation))" }

  /// Every quorum and pass threshold in the five profiles: bodies, matters, working groups.
  static let all: [ProfileThreshold] = ProfileFixtures.shippedIDs.flatMap {
    id -> [ProfileThreshold] in
    guard let profile = try? ProfileFixtures.profile(id) else { return [] }
    var found: [ProfileThreshold] = []
    func add(_ label: String, _ cited: Cited<Threshold>?) {
      if let cited {
        found.append(
          ProfileThreshold(
            label: "\(id) \(label)", threshold: cited.value, citation: cited.citation))
      }
    }
    for body in profile.bodies {
      add("\(body.id) quorum", body.voting?.quorum)
      add("\(body.id) pass", body.voting?.pass)
    }
    for matter in profile.matters {
      add("\(matter.id) quorum", matter.quorum)
      add("\(matter.id) pass", matter.pass)
    }
    add("working group dissolution request", profile.workingGroups?.dissolutionRequest)
    return found
  }
}

/// The oracle: the least count k with k/n at or above (inclusive) or above (exclusive) the
/// fraction, found by scanning k = 0, 1, 2... and comparing k*d with n*p in plain integers.
/// Written apart from `Threshold` (ceiling division and 128-bit comparison) on purpose.
func oracleMinimum(_ fraction: Fraction, _ sense: ThresholdSense, of n: Int) -> Int {
  var k = 0
  while true {
    let left = k * fraction.denominator
    let right = n * fraction.numerator
    if sense == .inclusive ? left >= right : left > right { return k }
    k += 1
  }
}

@Suite struct VotesThresholdBoundaryTests {
  @Test func everyVotingBodyOfEveryProfileIsCovered() {
    // 5 profiles: AII 3 voting bodies + 2 matters, DTPC 1, AITISA 1 + matter + group rule,
    // tjsia-ai 1, zgc-ai 2 voting bodies.
    #expect(ProfileThreshold.all.count >= 18)
    #expect(Set(ProfileThreshold.all.map { $0.label.split(separator: " ")[0] }).count == 5)
  }

  /// For bodies of 1 to 100 members: one below, at and one above the least count that meets
  /// each threshold, in the profile's sense and the opposite one, against the oracle.
  @Test(arguments: ProfileThreshold.all) func thresholdBoundariesMatchTheOracle(
    _ item: ProfileThreshold
  ) {
    for sense in ThresholdSense.allCases {
      let threshold = Threshold(item.threshold.fraction, sense, of: item.threshold.base)
      for n in 1...100 {
        let needed = oracleMinimum(threshold.fraction, sense, of: n)
        #expect(threshold.minimumCount(of: n) == needed, "\(threshold), n = \(n)")
        #expect(threshold.isMet(count: needed, of: n), "\(threshold): \(needed) of \(n) meets")
        #expect(
          !threshold.isMet(count: needed - 1, of: n), "\(threshold): \(needed - 1) of \(n) does not"
        )
        #expect(
          threshold.isMet(count: needed + 1, of: n), "\(threshold): \(needed + 1) of \(n) meets")
      }
    }
  }

  /// Where n * p / d is a whole number k, "以上" accepts k and "超过" needs k + 1.
  @Test(arguments: ProfileThreshold.all) func exactlyAtTheFractionSeparatesTheTwoSenses(
    _ item: ProfileThreshold
  ) {
    let fraction = item.threshold.fraction
    let inclusive = Threshold(fraction, .inclusive, of: item.threshold.base)
    let exclusive = Threshold(fraction, .exclusive, of: item.threshold.base)
    var exactCases = 0
    for n in 1...100 where (n * fraction.numerator) % fraction.denominator == 0 {
      let exact = n * fraction.numerator / fraction.denominator
      exactCases += 1
      #expect(inclusive.isMet(count: exact, of: n))
      #expect(!exclusive.isMet(count: exact, of: n))
      #expect(exclusive.isMet(count: exact + 1, of: n))
      #expect(inclusive.minimumCount(of: n) == exact)
      #expect(exclusive.minimumCount(of: n) == exact + 1)
    }
    #expect(exactCases >= 100 / fraction.denominator)
  }

  @Test func aii_23_councilOfThirtyNeedsTwentyPresent() {
    let quorum = Threshold(.twoThirds, .inclusive, of: .members)
    #expect(quorum.minimumCount(of: 30) == 20)
    #expect(quorum.isMet(count: 20, of: 30))
    #expect(!quorum.isMet(count: 19, of: 30))
    // 2/3 of 31 is 20.67: 21 needed; a float comparison of 20/31 vs 0.666... is not trusted.
    #expect(quorum.minimumCount(of: 31) == 21)
  }

  @Test func aitisa_10_halfOfTenIsFiveInclusive() {
    let quorum = Threshold(.half, .inclusive, of: .members)
    #expect(quorum.isMet(count: 5, of: 10))
    #expect(!Threshold(.half, .exclusive, of: .members).isMet(count: 5, of: 10))
  }

  @Test func hugeCountsNeitherOverflowNorTrap() {
    let threshold = Threshold(.twoThirds, .inclusive, of: .members)
    #expect(threshold.isMet(count: Int.max, of: Int.max))
    #expect(!threshold.isMet(count: Int.max / 2, of: Int.max))
    #expect(threshold.minimumCount(of: Int.max) == Int.max / 3 * 2 + 1)
    #expect(Threshold(.one, .exclusive, of: .members).minimumCount(of: Int.max) == Int.max)
  }
}

@Suite struct VotesFractionTests {
  @Test func parsesAndReduces() {
    #expect(Fraction(parsing: "2/3") == .twoThirds)
    #expect(Fraction(parsing: " 4 / 6 ") == .twoThirds)
    #expect(Fraction(parsing: "1") == .one)
    #expect(Fraction(parsing: "50/100")?.description == "1/2")
  }

  @Test(arguments: ["", "2/", "/3", "2/0", "-1/2", "2/3/4", "0x2/3", "２/３", "1.5/2", "2 3"])
  func refusesWhatIsNotAFraction(_ text: String) {
    #expect(Fraction(parsing: text) == nil)
  }

  @Test func refusesANonPositiveDenominator() {
    #expect(Fraction(numerator: 1, denominator: 0) == nil)
    #expect(Fraction(numerator: 1, denominator: -2) == nil)
    #expect(Fraction(numerator: -1, denominator: 2) == nil)
  }
}
