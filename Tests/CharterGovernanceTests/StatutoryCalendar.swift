import CharterCalendar
import Foundation

/// The statutory calendar shipped in `Config/calendar/cn-statutory.toml`, found relative to
/// this source file so that tests run from any directory.
enum StatutoryCalendar {
  static let url = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Config/calendar/cn-statutory.toml")

  private static let loaded = Result { try WorkingCalendar.loadStatutory(from: url) }

  static func load() throws -> WorkingCalendar { try loaded.get() }
}
