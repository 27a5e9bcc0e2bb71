import CharterCalendar
import Foundation

/// The shipped data file, found from this source file's place in the repository.
let statutoryFile = URL(fileURLWithPath: #filePath)
  .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  .appendingPathComponent("Config/calendar/cn-statutory.toml")

let statutory: WorkingCalendar = {
  do {
    return try WorkingCalendar.loadStatutory(from: statutoryFile)
  } catch {
    fatalError("cannot load \(statutoryFile.path): \(error)")
  }
}()

/// Test literals only: a typo here is a bug in the test.
func day(_ iso: String) -> CivilDate {
  guard let date = CivilDate(iso: iso) else { fatalError("bad test date \(iso)") }
  return date
}
