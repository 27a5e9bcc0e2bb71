public import Foundation

/// An iCalendar (RFC 5545) invitation to a meeting: one VEVENT in the tenant's time zone, with
/// the VTIMEZONE that defines it, sent with METHOD:REQUEST.
public struct MeetingInvitation: Sendable, Equatable {
  /// Stable per meeting, so an updated notice replaces the event instead of adding one.
  public var uid: String
  public var start: Date
  public var end: Date
  /// An IANA zone: `Asia/Shanghai` for every tenant so far (UTC+8, no daylight saving).
  public var timeZone: String
  public var summary: String
  public var location: String?
  public var description: String?
  public var organizer: MailAddress?
  public var sequence: Int

  public init(
    uid: String, start: Date, end: Date, timeZone: String = "Asia/Shanghai", summary: String,
    location: String? = nil, description: String? = nil, organizer: MailAddress? = nil,
    sequence: Int = 0
  ) {
    self.uid = uid
    self.start = start
    self.end = end
    self.timeZone = timeZone
    self.summary = summary
    self.location = location
    self.description = description
    self.organizer = organizer
    self.sequence = sequence
  }

  /// The calendar text: CRLF line endings, content lines folded at 75 octets.
  public func rendered(stamp: Date) throws(DeliveryError) -> String {
    guard let zone = TimeZone(identifier: timeZone) else {
      throw .invalidValue("unknown time zone \(timeZone)")
    }
    let zoneID = Self.text(timeZone)
    var lines = [
      "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Charter//Notices//ZH", "CALSCALE:GREGORIAN",
      "METHOD:REQUEST",
    ]
    lines += Self.timeZoneComponent(zone: zone, id: zoneID, at: start)
    lines += [
      "BEGIN:VEVENT",
      "UID:" + Self.text(uid),
      "DTSTAMP:" + Self.format(stamp, zone: TimeZone(identifier: "UTC") ?? zone, utc: true),
      "DTSTART;TZID=\(zoneID):" + Self.format(start, zone: zone, utc: false),
      "DTEND;TZID=\(zoneID):" + Self.format(end, zone: zone, utc: false),
      "SEQUENCE:\(sequence)",
      "SUMMARY:" + Self.text(summary),
    ]
    if let location { lines.append("LOCATION:" + Self.text(location)) }
    if let description { lines.append("DESCRIPTION:" + Self.text(description)) }
    if let organizer { lines.append("ORGANIZER:mailto:" + organizer.text) }
    lines += ["STATUS:CONFIRMED", "END:VEVENT", "END:VCALENDAR"]
    return lines.map(Self.fold).joined(separator: "\r\n") + "\r\n"
  }

  /// A VTIMEZONE with one STANDARD observance: the zone's offset at the meeting. Exact for
  /// zones without daylight saving (Asia/Shanghai has had none since 1991).
  static func timeZoneComponent(zone: TimeZone, id: String, at date: Date) -> [String] {
    let seconds = zone.secondsFromGMT(for: date)
    let sign = seconds < 0 ? "-" : "+"
    let offset = String(format: "%@%02d%02d", sign, abs(seconds) / 3600, (abs(seconds) % 3600) / 60)
    let name = zone.abbreviation(for: date) ?? "STD"
    return [
      "BEGIN:VTIMEZONE", "TZID:\(id)", "BEGIN:STANDARD", "DTSTART:19700101T000000",
      "TZOFFSETFROM:\(offset)", "TZOFFSETTO:\(offset)", "TZNAME:" + text(name), "END:STANDARD",
      "END:VTIMEZONE",
    ]
  }

  static func format(_ date: Date, zone: TimeZone, utc: Bool) -> String {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = zone
    let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
    return String(
      format: "%04d%02d%02dT%02d%02d%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0,
      c.minute ?? 0, c.second ?? 0) + (utc ? "Z" : "")
  }

  /// TEXT escaping (RFC 5545 §3.3.11): backslash, semicolon, comma; newlines become `\n`.
  static func text(_ value: String) -> String {
    var out = ""
    for scalar in value.unicodeScalars {
      switch scalar {
      case "\\": out += "\\\\"
      case ";": out += "\\;"
      case ",": out += "\\,"
      case "\n": out += "\\n"
      case "\r": continue
      default:
        if scalar.value < 0x20 || scalar.value == 0x7F {
          out += " "
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out
  }

  /// Folds a content line into lines of at most 75 octets (RFC 5545 §3.1), continuation lines
  /// starting with a space, never inside a UTF-8 sequence.
  static func fold(_ line: String) -> String {
    var result = ""
    var width = 0
    var limit = 75
    for scalar in line.unicodeScalars {
      let size = String(scalar).utf8.count
      if width + size > limit {
        result += "\r\n "
        width = 0
        limit = 74
      }
      result.unicodeScalars.append(scalar)
      width += size
    }
    return result
  }
}
