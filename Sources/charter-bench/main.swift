// Benchmarks for Scripts/bench. Each prints its rate, the baseline's rate and the ratio.
#if canImport(Glibc)
  @preconcurrency import Glibc
#endif

let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "calendar":
  exit(runCalendarBenchmark(Array(arguments.dropFirst())))
case "tls":
  exit(runTLSBenchmark(Array(arguments.dropFirst())))
case "scheduler":
  exit(runSchedulerBenchmark(Array(arguments.dropFirst())))
case "postgres":
  exit(runPostgresBenchmark(Array(arguments.dropFirst())))
case "protocol":
  exit(runProtocolBenchmark(Array(arguments.dropFirst())))
case "workflows":
  exit(runWorkflowsBenchmark(Array(arguments.dropFirst())))
default:
  fputs(
    "usage: charter-bench calendar|postgres|tls|scheduler|protocol|workflows [options]\n", stderr)
  exit(2)
}
