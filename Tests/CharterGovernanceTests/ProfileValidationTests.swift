import CharterGovernance
import Testing

/// A broken profile is refused with the file, line and key of what is wrong.
@Suite struct ProfileValidationTests {
  /// A small valid profile; each test breaks one line of it. Line numbers are 1-based and
  /// counted in this text (line 1 is `id = "demo"`).
  static let valid = """
    id = "demo"
    version = 1
    effective_date = 2026-01-01
    name = "示例联盟"
    source_document = "test"

    [[tiers]]
    id = "member"
    name = "会员单位"
    rights = ["vote"]
    article = "Demo art. 1"

    [bodies.council]
    name = "理事会"
    article = "Demo art. 2"
    composition = { tiers = ["member"], article = "Demo art. 2" }
    notice = { calendar_days = 15, article = "Demo art. 3" }

    [bodies.council.voting]
    proxy_counts_as_present = { value = true, article = "Demo art. 4" }
    correspondence_counts_as_present = { value = false, article = "Demo art. 4" }

    [bodies.council.voting.quorum]
    fraction = "2/3"
    sense = "inclusive"
    base = "members"
    article = "Demo art. 4"

    [bodies.council.voting.pass]
    fraction = "1/2"
    sense = "exclusive"
    base = "present"
    article = "Demo art. 4"

    [[bodies.council.posts]]
    id = "chair"
    name = "理事长"
    cap = { value = 1, article = "Demo art. 5" }
    article = "Demo art. 5"

    [membership]
    kinds = { value = ["unit"], article = "Demo art. 6" }

    [membership.admission]
    steps = [{ kind = "application", body = "council", article = "Demo art. 7" }]

    [membership.exit]
    voluntary = { article = "Demo art. 8" }
    notice = { calendar_days = 30, article = "Demo art. 8" }

    [[membership.absence]]
    body = "council"
    consecutive = 3
    excused_counts = false
    proxy_counts_as_present = true
    correspondence_counts_as_present = false
    consequence = "loss_of_seat"
    article = "Demo art. 9"

    [membership.rejoin]
    policy = "never"
    article = "Demo art. 10"
    """

  /// The valid text with `line` (1-based) replaced.
  static func breaking(line: Int, with replacement: String) -> String {
    var lines = valid.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    lines[line - 1] = replacement
    return lines.joined(separator: "\n")
  }

  static func refusal(_ text: String) -> ProfileError? {
    do {
      _ = try CharterProfile.load(text: text, file: "charters/demo.toml")
      return nil
    } catch {
      return error
    }
  }

  @Test func theUnbrokenFixtureLoads() throws {
    let profile = try CharterProfile.load(text: Self.valid, file: "charters/demo.toml")
    #expect(profile.id == "demo")
    #expect(
      profile.body("council")?.voting?.pass.value == Threshold(.half, .exclusive, of: .present))
  }

  @Test func aFractionAboveOneIsRefusedAtItsLine() throws {
    let error = try #require(Self.refusal(Self.breaking(line: 24, with: #"fraction = "4/3""#)))
    #expect(error.file == "charters/demo.toml")
    #expect(error.line == 24)
    #expect(error.key == "bodies.council.voting.quorum.fraction")
    #expect(error.message.contains("(0, 1]"))
  }

  @Test func aZeroFractionIsRefused() throws {
    let error = try #require(Self.refusal(Self.breaking(line: 30, with: #"fraction = "0/3""#)))
    #expect(error.line == 30)
    #expect(error.key == "bodies.council.voting.pass.fraction")
  }

  @Test func aFractionThatIsNotOneIsRefused() throws {
    let error = try #require(
      Self.refusal(Self.breaking(line: 24, with: #"fraction = "two thirds""#)))
    #expect(error.line == 24)
    #expect(error.key == "bodies.council.voting.quorum.fraction")
    #expect(error.message.contains("2/3"))
  }

  @Test func aFloatingPointThresholdIsRefused() throws {
    let error = try #require(Self.refusal(Self.breaking(line: 24, with: "fraction = 0.667")))
    #expect(error.line == 24)
    #expect(error.key == "bodies.council.voting.quorum.fraction")
  }

  @Test func anUnknownSenseIsRefused() throws {
    let error = try #require(Self.refusal(Self.breaking(line: 25, with: #"sense = "以上""#)))
    #expect(error.line == 25)
    #expect(error.key == "bodies.council.voting.quorum.sense")
  }

  @Test func anUnknownKeyIsRefused() throws {
    let error = try #require(Self.refusal(Self.breaking(line: 26, with: #"bsae = "members""#)))
    #expect(error.line == 26)
    #expect(error.key == "bodies.council.voting.quorum.bsae")
    #expect(error.message.contains("unknown key"))
  }

  @Test func anUnknownKeyAtTheTopIsRefused() throws {
    let error = try #require(Self.refusal(Self.breaking(line: 5, with: #"source = "test""#)))
    #expect(error.line == 5)
    #expect(error.key == "source")
  }

  @Test func aMissingArticleIsRefused() throws {
    let error = try #require(Self.refusal(Self.breaking(line: 27, with: "")))
    #expect(error.key == "bodies.council.voting.quorum.article")
    #expect(error.message.contains("missing"))
  }

  @Test func aReferenceToAnUnknownBodyIsRefusedAtTheReferringLine() throws {
    let error = try #require(Self.refusal(Self.breaking(line: 52, with: #"body = "councl""#)))
    #expect(error.line == 52)
    #expect(error.key == "membership.absence[0].body")
    #expect(error.message.contains("no body with id \"councl\""))
  }

  @Test func aReferenceToAnUnknownTierIsRefused() throws {
    let text = Self.breaking(
      line: 16, with: #"composition = { tiers = ["director"], article = "Demo art. 2" }"#)
    let error = try #require(Self.refusal(text))
    #expect(error.line == 16)
    #expect(error.key == "bodies.council.composition.tiers")
    #expect(error.message.contains("no tier with id \"director\""))
  }

  @Test func aReferenceToAnUnknownPostIsRefused() throws {
    let text = Self.breaking(
      line: 16, with: #"composition = { post_holders = ["chairman"], article = "Demo art. 2" }"#)
    let error = try #require(Self.refusal(text))
    #expect(error.line == 16)
    #expect(error.key == "bodies.council.composition.post_holders")
    #expect(error.message.contains("no post with id \"chairman\""))
  }

  @Test func aTierDefinedTwiceIsRefusedAtTheSecondDefinition() throws {
    let text = Self.breaking(
      line: 12,
      with: "[[tiers]]\nid = \"member\"\nname = \"会员\"\nrights = []\narticle = \"Demo art. 1\"\n")
    let error = try #require(Self.refusal(text))
    #expect(error.line == 13)
    #expect(error.key == "tiers[1].id")
  }

  @Test func aDowngradeCountWithoutADowngradeIsRefused() throws {
    let error = try #require(Self.refusal(Self.breaking(line: 59, with: "downgrade_tiers = 1")))
    #expect(error.line == 59)
    #expect(error.key == "membership.absence[0].downgrade_tiers")
  }

  @Test func aNegativePeriodIsRefused() throws {
    let text = Self.breaking(
      line: 49, with: #"notice = { calendar_days = -30, article = "Demo art. 8" }"#)
    let error = try #require(Self.refusal(text))
    #expect(error.line == 49)
    #expect(error.key == "membership.exit.notice.calendar_days")
    #expect(error.message.contains("negative"))
  }

  @Test func aPeriodWithBothKindsOfDaysIsRefused() throws {
    let text = Self.breaking(
      line: 17,
      with: #"notice = { calendar_days = 15, working_days = 10, article = "Demo art. 3" }"#)
    let error = try #require(Self.refusal(text))
    #expect(error.line == 17)
    #expect(error.key == "bodies.council.notice.calendar_days")
  }

  @Test func aCapBelowOneIsRefused() throws {
    let error = try #require(
      Self.refusal(Self.breaking(line: 38, with: #"cap = { value = 0, article = "Demo art. 5" }"#)))
    #expect(error.line == 38)
    #expect(error.key == "bodies.council.posts[0].cap.value")
  }

  @Test func aQuorumCountedAgainstThosePresentIsRefused() throws {
    let error = try #require(Self.refusal(Self.breaking(line: 26, with: #"base = "present""#)))
    #expect(error.line == 26)
    #expect(error.key == "bodies.council.voting.quorum.base")
  }

  @Test func anUnknownConsequenceIsRefused() throws {
    let error = try #require(Self.refusal(Self.breaking(line: 57, with: #"consequence = "fine""#)))
    #expect(error.line == 57)
    #expect(error.key == "membership.absence[0].consequence")
  }

  @Test func anUnknownRightIsRefused() throws {
    let error = try #require(
      Self.refusal(Self.breaking(line: 10, with: #"rights = ["vote", "veto"]"#)))
    #expect(error.line == 10)
    #expect(error.key == "tiers[0].rights")
    #expect(error.message.contains("veto"))
  }

  @Test func anImpossibleDateIsRefused() throws {
    let error = try #require(
      Self.refusal(Self.breaking(line: 3, with: "effective_date = 2026-02-30")))
    #expect(error.line == 3)
    #expect(error.key == "effective_date")
  }

  @Test func malformedTOMLIsRefusedWithItsLine() throws {
    let error = try #require(Self.refusal(Self.breaking(line: 14, with: #"name = "理事会"#)))
    #expect(error.file == "charters/demo.toml")
    #expect(error.line == 14)
  }

  @Test func theDescriptionNamesFileLineAndKey() throws {
    let error = try #require(Self.refusal(Self.breaking(line: 24, with: #"fraction = "4/3""#)))
    #expect(error.description.hasPrefix("charters/demo.toml:24:"))
    #expect(error.description.contains("bodies.council.voting.quorum.fraction: "))
  }
}
