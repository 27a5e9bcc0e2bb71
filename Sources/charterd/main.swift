import CharterDaemon

#if canImport(Glibc)
  import Glibc
#endif

exit(await DaemonCommandLine.main(Array(CommandLine.arguments.dropFirst())))
