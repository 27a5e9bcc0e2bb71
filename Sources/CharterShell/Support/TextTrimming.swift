extension StringProtocol {
  /// The text without leading and trailing characters from `set` (Foundation-free).
  func trimming(_ set: String) -> String {
    let isTrimmed: (Character) -> Bool = { set.contains($0) }
    return String(String(self).drop(while: isTrimmed).reversed().drop(while: isTrimmed).reversed())
  }
}
