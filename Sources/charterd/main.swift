import CharterDaemon
import Foundation

if CommandLine.arguments.dropFirst().first == "calendar" {
  exit(CalendarCommand.run(Array(CommandLine.arguments.dropFirst(2))))
}

#if canImport(Glibc)
    import Glibc
#endif

exit(await DaemonCommandLine.main(Array(CommandLine.arguments.dropFirst())))
