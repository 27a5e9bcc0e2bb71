import Testing

@testable import CharterShell

@Suite struct DisplayWidthTests {
  @Test func asciiIsOneColumnPerCharacter() {
    #expect(DisplayWidth.of("aitisa") == 6)
    #expect(DisplayWidth.of("") == 0)
  }

  @Test func chineseCharactersAreTwoColumns() {
    #expect(DisplayWidth.of("中关村") == 6)
    #expect(DisplayWidth.of("中关村视听产业技术创新联盟") == 26)
    #expect(DisplayWidth.of("张 三") == 5)
    #expect(DisplayWidth.of("、。「」") == 8)  // CJK punctuation is wide too
  }

  @Test func fullwidthIsTwoAndHalfwidthIsOne() {
    #expect(DisplayWidth.of("ＡＢ") == 4)  // U+FF21, U+FF22
    #expect(DisplayWidth.of("ｱｲ") == 2)  // halfwidth katakana U+FF71, U+FF72
    #expect(DisplayWidth.of("한국") == 4)  // Hangul syllables
  }

  @Test func emojiAreTwoColumns() {
    #expect(DisplayWidth.of("😀") == 2)
    #expect(DisplayWidth.of("❤️") == 2)  // U+2764 with the emoji variation selector
    #expect(DisplayWidth.of("👨‍👩‍👧") == 2)  // one ZWJ sequence
    #expect(DisplayWidth.of("🇨🇳") == 2)  // a flag: two regional indicators
    #expect(DisplayWidth.of("👍🏽") == 2)  // with a skin tone
  }

  @Test func combiningMarksTakeNoColumn() {
    #expect(DisplayWidth.of("e\u{301}") == 1)  // e + combining acute
    #expect(DisplayWidth.of("Zu\u{308}rich") == 6)
    #expect(DisplayWidth.of(scalar: "\u{301}") == 0)
    #expect(DisplayWidth.of("\u{200B}") == 0)  // zero-width space (format)
  }

  @Test func prefixNeverSplitsAWideCharacter() {
    #expect(DisplayWidth.prefix("中关村", columns: 5) == "中关")
    #expect(DisplayWidth.prefix("ab中", columns: 3) == "ab")
  }
}
