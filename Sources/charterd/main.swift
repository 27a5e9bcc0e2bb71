import CharterDaemon
import Foundation

if CommandLine.arguments.dropFirst().first == "calendar" {
  exit(CalendarCommand.run(Array(CommandLine.arguments.dropFirst(2))))
}

print("charterd \(CharterVersion.string)")
