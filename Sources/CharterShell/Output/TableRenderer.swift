/// Aligned text tables, measured in terminal columns (CJK characters count 2).
///
/// ```
/// slug    name                        status
/// ------  --------------------------  ------
/// aitisa  中关村视听产业技术创新联盟  active
/// ```
///
/// Columns are left-aligned and separated by two spaces; the last column is not padded, so
/// no line ends in spaces. Values are shown through `TerminalText.visible`.
public enum TableRenderer {
  public static let columnGap = "  "

  /// The lines of the table (without line ends). A row shorter than the header is padded
  /// with empty fields; extra fields get a column without a name.
  public static func lines(columns: [String], rows: [[String]]) -> [String] {
    let count = max(columns.count, rows.map(\.count).max() ?? 0)
    guard count > 0 else { return [] }
    let header = (0..<count).map { $0 < columns.count ? TerminalText.visible(columns[$0]) : "" }
    let body = rows.map { row in
      (0..<count).map { $0 < row.count ? TerminalText.visible(row[$0]) : "" }
    }
    var widths = header.map(DisplayWidth.of)
    for row in body {
      for (index, field) in row.enumerated() {
        widths[index] = max(widths[index], DisplayWidth.of(field))
      }
    }
    let rule = widths.map { String(repeating: "-", count: max($0, 1)) }
    return [format(header, widths), format(rule, widths)] + body.map { format($0, widths) }
  }

  private static func format(_ fields: [String], _ widths: [Int]) -> String {
    var line = ""
    for (index, field) in fields.enumerated() {
      if index > 0 { line += columnGap }
      line += field
      if index < fields.count - 1 {
        line += String(repeating: " ", count: max(0, widths[index] - DisplayWidth.of(field)))
      }
    }
    while line.hasSuffix(" ") { line.removeLast() }
    return line
  }
}
