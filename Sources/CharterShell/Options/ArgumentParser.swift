/// Reads the command line into `ShellOptions`. Options take their value as the next word
/// or after `=` (`--user alice`, `--user=alice`); `--` ends the options.
public enum ArgumentParser {
  public static func parse(_ arguments: [String]) throws(ShellUsageError) -> ShellOptions {
    var options = ShellOptions()
    var commands: [String] = []
    var file: String?
    var address: String?
    var trustChoices: [(String, ServerTrustChoice)] = []
    var index = 0
    var optionsEnded = false

    while index < arguments.count {
      let argument = arguments[index]
      index += 1
      if optionsEnded || !argument.hasPrefix("-") || argument == "-" {
        guard address == nil else { throw ShellUsageError("unexpected argument \(argument)") }
        address = argument
        continue
      }
      var name = argument
      var inlineValue: String?
      if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
        name = String(argument[..<equals])
        inlineValue = String(argument[argument.index(after: equals)...])
      }
      func value() throws(ShellUsageError) -> String {
        if let inlineValue { return inlineValue }
        guard index < arguments.count else { throw ShellUsageError("\(name) needs a value") }
        index += 1
        return arguments[index - 1]
      }
      func noValue() throws(ShellUsageError) {
        if inlineValue != nil { throw ShellUsageError("\(name) takes no value") }
      }
      switch name {
      case "--":
        optionsEnded = true
      case "-h", "--help":
        try noValue()
        options.showHelp = true
      case "-V", "--version":
        try noValue()
        options.showVersion = true
      case "-c", "--command":
        commands.append(try value())
      case "-f", "--file":
        guard file == nil else { throw ShellUsageError("-f given twice") }
        file = try value()
      case "-u", "--user":
        options.user = try value()
      case "--password-file":
        options.passwordFile = try value()
      case "--json":
        try noValue()
        options.json = true
      case "--stop-on-error":
        try noValue()
        options.stopOnError = true
      case "--no-history":
        try noValue()
        options.saveHistory = false
      case "--timeout":
        let text = try value()
        guard let seconds = Int(text), (1...3600).contains(seconds) else {
          throw ShellUsageError("--timeout needs whole seconds from 1 to 3600, not \(text)")
        }
        options.timeoutSeconds = seconds
      case "--known-hosts":
        options.knownHostsFile = try value()
      case "--fingerprint":
        let text = try value()
        trustChoices.append((name, .fingerprint(text)))
      case "--fingerprint-file":
        trustChoices.append((name, .fingerprintFile(try value())))
      case "--ca-file":
        trustChoices.append((name, .certificateAuthority(try value())))
      case "--insecure":
        try noValue()
        trustChoices.append((name, .insecure))
      case "--cert":
        options.certificateFile = try value()
      case "--key":
        options.keyFile = try value()
      default:
        throw ShellUsageError("unknown option \(name)")
      }
    }

    if trustChoices.count > 1 {
      throw ShellUsageError(
        "choose one way to trust the server, not \(trustChoices.map(\.0).joined(separator: " and "))"
      )
    }
    if let (_, choice) = trustChoices.first { options.trust = choice }
    if options.keyFile != nil, options.certificateFile == nil {
      throw ShellUsageError("--key needs --cert")
    }
    if !commands.isEmpty, file != nil { throw ShellUsageError("use -c or -f, not both") }
    if !commands.isEmpty {
      options.source = .commands(commands)
    } else if let file {
      options.source = file == "-" ? .standardInput : .file(file)
    }
    if let address { options.address = try ServerAddress(parsing: address) }
    return options
  }
}
