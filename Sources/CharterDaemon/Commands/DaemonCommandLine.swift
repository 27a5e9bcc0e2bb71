import Foundation

/// `charterd`'s command line: a subcommand, then options. Configuration flags
/// (--database-url, --data-dir, ...) come from the option table and apply to every
/// subcommand that touches the database.
public enum DaemonCommandLine {
  public static let usage = """
    usage: charterd [run] [OPTIONS]            run the daemon (the default)
           charterd demo [OPTIONS]              run it with the five demo organisations loaded
           charterd migrate [--status | --dry-run] [OPTIONS]
           charterd tenant export SLUG FILE [OPTIONS]   write one tenant's data to FILE
           charterd tenant import FILE [OPTIONS]        load it (same schema version, new slug)
           charterd calendar after DATE N workdays|days
           charterd calendar check DATE
           charterd health [--skip-admin-server] [OPTIONS]   exit 0 when healthy (for probes)
           charterd --check-config [OPTIONS]    validate and print the effective configuration
           charterd --print-example-config      print Config/charterd.example.toml
           charterd --version | --help

    OPTIONS: --config FILE, and every setting of the configuration file as a flag:

    """

  public static func main(_ arguments: [String]) async -> Int32 {
    StandardStreams.lineBufferStandardOutput()
    let environment = ProcessInfo.processInfo.environment
    switch arguments.first {
    case "--version", "version":
      print("charterd \(CharterVersion.string)")
      return 0
    case "--help", "-h", "help":
      print(usage + flagsHelp())
      return 0
    case "--print-example-config":
      print(ConfigurationOption.exampleFile(), terminator: "")
      return 0
    case "calendar":
      return CalendarCommand.run(Array(arguments.dropFirst()))
    case "migrate":
      return await withConfiguration(Array(arguments.dropFirst()), environment) {
        configuration, rest in
        await MigrateCommand.run(configuration: configuration, arguments: rest)
      }
    case "tenant":
      return await withConfiguration(Array(arguments.dropFirst()), environment) {
        configuration, rest in
        await TenantTransferCommand.run(configuration: configuration, arguments: rest)
      }
    case "health":
      return await withConfiguration(Array(arguments.dropFirst()), environment) {
        configuration, rest in
        await HealthCommand.run(configuration: configuration, arguments: rest)
      }
    case "--check-config":
      return withConfigurationSync(Array(arguments.dropFirst()), environment) {
        configuration, rest in
        guard rest.isEmpty else { return unexpectedArguments(rest) }
        print(configuration.rendered(), terminator: "")
        return 0
      }
    case "run", "demo":
      let demo = arguments.first == "demo"
      return await withConfiguration(Array(arguments.dropFirst()), environment) {
        configuration, rest in
        guard rest.isEmpty else { return unexpectedArguments(rest) }
        let runArguments = Array(arguments.dropFirst())
        return await RunCommand.run(configuration: configuration, demo: demo) {
          try Configuration.load(
            arguments: runArguments, environment: ProcessInfo.processInfo.environment
          ).0
        }
      }
    case let first? where !first.hasPrefix("-"):
      return usageError("unknown command '\(first)'")
    default:
      return await main(["run"] + arguments)
    }
  }

  static func flagsHelp() -> String {
    ConfigurationOption.all.map { option in
      "  \(option.flag.padding(toLength: 30, withPad: " ", startingAt: 0)) \(option.environmentVariable)"
    }.joined(separator: "\n")
  }

  /// The error for arguments a subcommand does not take, with the nearest flag for a typo.
  static func unexpectedArguments(_ rest: [String]) -> Int32 {
    if let unknown = rest.first(where: { $0.hasPrefix("--") }) {
      let name = String(unknown.split(separator: "=", maxSplits: 1)[0])
      let flags = ConfigurationOption.all.map(\.flag) + ["--config"]
      let nearest = flags.min { editDistance($0, name) < editDistance($1, name) }
      let hint =
        nearest.flatMap { editDistance($0, name) <= 3 ? " (did you mean \($0)?)" : nil } ?? ""
      return usageError("unknown option \(name)\(hint)")
    }
    return usageError("unexpected arguments: \(rest.joined(separator: " "))")
  }

  static func usageError(_ message: String) -> Int32 {
    StandardStreams.writeError("charterd: \(message)\n\(usage)\(flagsHelp())\n")
    return 2
  }

  private static func withConfiguration(
    _ arguments: [String], _ environment: [String: String],
    _ body: (Configuration, [String]) async -> Int32
  ) async -> Int32 {
    do {
      let (configuration, rest) = try Configuration.load(
        arguments: arguments, environment: environment)
      return await body(configuration, rest)
    } catch {
      StandardStreams.writeError("charterd: configuration: \(error)\n")
      return 2
    }
  }

  private static func withConfigurationSync(
    _ arguments: [String], _ environment: [String: String],
    _ body: (Configuration, [String]) -> Int32
  ) -> Int32 {
    do {
      let (configuration, rest) = try Configuration.load(
        arguments: arguments, environment: environment)
      return body(configuration, rest)
    } catch {
      StandardStreams.writeError("charterd: configuration: \(error)\n")
      return 2
    }
  }
}
