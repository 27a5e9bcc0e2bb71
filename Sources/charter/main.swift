// The admin shell: everything is in CharterShell (docs/shell.md).
import CharterShell

#if canImport(Glibc)
  import Glibc
#endif

exit(CharterShellCommand.run(Array(CommandLine.arguments.dropFirst())))
