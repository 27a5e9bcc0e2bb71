/// How many terminal columns text takes, so tables of Chinese names line up.
///
/// East Asian Wide and Fullwidth characters (UAX #11) take 2 columns, combining marks and
/// format characters 0, everything else 1. Counted per grapheme cluster (`Character`): an
/// emoji sequence (👨‍👩‍👧, ❤️, a flag) is one glyph of 2 columns, a letter with accents is
/// 1. Swift exposes no East Asian Width property, so the wide ranges are listed here (from
/// EastAsianWidth.txt, Unicode 15, W and F only; emoji are found by Emoji_Presentation).
public enum DisplayWidth {
  /// The columns of `text` on a terminal.
  public static func of(_ text: some StringProtocol) -> Int {
    text.reduce(0) { $0 + of(character: $1) }
  }

  /// The columns of one grapheme cluster: 0, 1 or 2.
  public static func of(character: Character) -> Int {
    let scalars = String(character).unicodeScalars
    guard let first = scalars.first else { return 0 }
    if scalars.count > 1, isEmojiCluster(scalars) { return 2 }
    var width = of(scalar: first)
    // Combining marks after the base add nothing; a cluster that starts with one (a mark
    // standing alone) counts its next visible scalar, if any.
    if width == 0 {
      for scalar in scalars.dropFirst() where of(scalar: scalar) > 0 {
        width = of(scalar: scalar)
        break
      }
    }
    return width
  }

  /// The columns of one scalar on its own.
  public static func of(scalar: Unicode.Scalar) -> Int {
    let value = scalar.value
    if value < 0x20 || (0x7F..<0xA0).contains(value) { return 0 }
    if value < 0x300 { return value == 0xAD ? 0 : 1 }  // Latin fast path; U+00AD soft hyphen
    switch scalar.properties.generalCategory {
    case .nonspacingMark, .enclosingMark, .format: return 0
    default: break
    }
    // Hangul medial vowels and final consonants join the preceding syllable.
    if (0x1160...0x11FF).contains(value) || (0xD7B0...0xD7FF).contains(value) { return 0 }
    if scalar.properties.isEmojiPresentation { return 2 }
    return isWide(value) ? 2 : 1
  }

  /// An emoji written as a sequence: a base with the emoji variation selector (❤️), a ZWJ
  /// sequence, a skin tone, a keycap or a flag (two regional indicators).
  private static func isEmojiCluster(_ scalars: String.UnicodeScalarView) -> Bool {
    var allRegionalIndicators = true
    for scalar in scalars {
      let value = scalar.value
      if value == 0xFE0F || value == 0x200D || value == 0x20E3 { return true }
      if (0x1F3FB...0x1F3FF).contains(value) { return true }
      if !(0x1F1E6...0x1F1FF).contains(value) { allRegionalIndicators = false }
    }
    return allRegionalIndicators
  }

  private static func isWide(_ value: UInt32) -> Bool {
    var low = 0
    var high = wideRanges.count - 1
    while low <= high {
      let middle = (low + high) / 2
      let range = wideRanges[middle]
      if value < range.lowerBound {
        high = middle - 1
      } else if value > range.upperBound {
        low = middle + 1
      } else {
        return true
      }
    }
    return false
  }

  /// East Asian Wide (W) and Fullwidth (F) ranges that are not emoji, sorted.
  private static let wideRanges: [ClosedRange<UInt32>] = [
    0x1100...0x115F,  // Hangul Jamo initial consonants
    0x2329...0x232A,  // angle brackets
    0x2E80...0x2E99, 0x2E9B...0x2EF3, 0x2F00...0x2FD5, 0x2FF0...0x2FFF,  // CJK radicals
    0x3000...0x303E,  // CJK symbols and punctuation (ideographic space, 、。「」)
    0x3041...0x3096, 0x3099...0x30FF,  // Hiragana, Katakana
    0x3105...0x312F, 0x3131...0x318E, 0x3190...0x31E3, 0x31EF...0x321E, 0x3220...0x3247,
    0x3250...0x4DBF,  // enclosed CJK, compatibility, CJK Extension A
    0x4E00...0xA48C,  // CJK Unified Ideographs, Yi syllables
    0xA490...0xA4C6,  // Yi radicals
    0xA960...0xA97C,  // Hangul Jamo Extended-A
    0xAC00...0xD7A3,  // Hangul syllables
    0xF900...0xFAFF,  // CJK compatibility ideographs
    0xFE10...0xFE19,  // vertical forms
    0xFE30...0xFE52, 0xFE54...0xFE66, 0xFE68...0xFE6B,  // CJK compatibility and small forms
    0xFF01...0xFF60,  // fullwidth ASCII (ＡＢＣ，！)
    0xFFE0...0xFFE6,  // fullwidth signs (￥)
    0x16FE0...0x16FE4, 0x16FF0...0x16FF1,
    0x17000...0x187F7, 0x18800...0x18CD5, 0x18D00...0x18D08,  // Tangut, Khitan
    0x1AFF0...0x1AFFE, 0x1B000...0x1B122, 0x1B132...0x1B132, 0x1B150...0x1B152,
    0x1B155...0x1B155, 0x1B164...0x1B167, 0x1B170...0x1B2FB,  // Kana supplements, Nushu
    0x1F200...0x1F202, 0x1F210...0x1F23B, 0x1F240...0x1F248, 0x1F250...0x1F251,
    0x1F260...0x1F265,  // enclosed ideographic supplement
    0x20000...0x2FFFD,  // CJK Extensions B–F, compatibility supplement
    0x30000...0x3FFFD,  // CJK Extensions G, H
  ]

  /// `text` cut to at most `columns` columns, never splitting a character.
  public static func prefix(_ text: String, columns: Int) -> String {
    var used = 0
    var out = ""
    for character in text {
      let width = of(character: character)
      if used + width > columns { break }
      used += width
      out.append(character)
    }
    return out
  }
}
