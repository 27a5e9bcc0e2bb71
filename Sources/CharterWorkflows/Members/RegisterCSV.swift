/// The register's CSV (RFC 4180): comma separated, fields quoted when they hold a comma, a
/// quote, a line break or edge spaces, quotes doubled; UTF-8 with a byte-order mark so that
/// Excel opens Chinese names correctly.
enum RegisterCSV {
  static let byteOrderMark = "\u{FEFF}"

  /// The columns of an export, in order; an import takes the same header (any order, the
  /// optional ones may be left out).
  static let columns = [
    "name", "kind", "credit_code", "tier", "status", "joined_on", "left_on", "left_how",
    "contact_name", "contact_email", "contact_phone", "representative_name",
    "representative_title", "representative_rank", "representative_birth_date",
  ]
  static let requiredColumns: Set<String> = ["name", "kind", "tier", "status", "joined_on"]

  static func line(_ fields: [String]) -> String {
    fields.map(quoted).joined(separator: ",")
  }

  static func quoted(_ field: String) -> String {
    // On the UTF-8 bytes, not Characters: an export quotes-checks 1.5 million fields, and a
    // CR LF pair (one Character, equal to neither "\r" nor "\n") is caught too.
    let bytes = field.utf8
    let needsQuotes =
      bytes.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D })
      || bytes.first == 0x20 || bytes.last == 0x20
    guard needsQuotes else { return field }
    return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }

  /// One record of a file: its fields and the line it starts on (1 = the header).
  struct Record: Equatable {
    var line: Int
    var fields: [String]
  }

  struct SyntaxError: Error, Equatable {
    var line: Int
    var column: Int
    var message: String
  }

  /// Splits `text` into records. A leading byte-order mark is dropped; line ends are LF or
  /// CRLF; a quoted field may span lines (the next record's line number counts them); blank
  /// lines are skipped.
  static func parse(_ text: String) -> Result<[Record], SyntaxError> {
    var records: [Record] = []
    var fields: [String] = []
    var field = ""
    var line = 1
    var recordLine = 1
    var inQuotes = false
    var fieldWasQuoted = false
    var scalars = Array(text.unicodeScalars)
    if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
    var index = 0

    func endRecord() {
      fields.append(field)
      if !(fields.count == 1 && fields[0].isEmpty && !fieldWasQuoted) {
        records.append(Record(line: recordLine, fields: fields))
      }
      fields = []
      field = ""
      fieldWasQuoted = false
    }

    while index < scalars.count {
      let scalar = scalars[index]
      if inQuotes {
        if scalar == "\"" {
          if index + 1 < scalars.count, scalars[index + 1] == "\"" {
            field.unicodeScalars.append("\"")
            index += 1
          } else {
            inQuotes = false
          }
        } else {
          if scalar == "\n" { line += 1 }
          field.unicodeScalars.append(scalar)
        }
      } else {
        switch scalar {
        case ",":
          fields.append(field)
          field = ""
          fieldWasQuoted = false
        case "\"":
          guard field.isEmpty, !fieldWasQuoted else {
            return .failure(
              SyntaxError(
                line: line, column: fields.count + 1,
                message:
                  "a quote inside an unquoted field; quote the whole field and double the quote"))
          }
          inQuotes = true
          fieldWasQuoted = true
        case "\r":
          if index + 1 < scalars.count, scalars[index + 1] == "\n" {
            break
          }
          field.unicodeScalars.append(scalar)
        case "\n":
          endRecord()
          line += 1
          recordLine = line
        default:
          if fieldWasQuoted {
            return .failure(
              SyntaxError(
                line: line, column: fields.count + 1,
                message: "text after the closing quote of a field"))
          }
          field.unicodeScalars.append(scalar)
        }
      }
      index += 1
    }
    if inQuotes {
      return .failure(
        SyntaxError(
          line: recordLine, column: fields.count + 1,
          message: "a quoted field is not closed before the end of the file"))
    }
    if !field.isEmpty || !fields.isEmpty || fieldWasQuoted { endRecord() }
    return .success(records)
  }
}
