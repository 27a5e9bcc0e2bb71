import CharterTOML
public import Foundation

extension Configuration {
  /// The file read when neither `--config` nor `CHARTER_CONFIG` names one, if it exists.
  public static let systemFile = "/etc/charter/charterd.toml"

  /// Builds the effective configuration from `arguments` (the daemon's options, without the
  /// subcommand), the environment and the configuration file they name. Returns the
  /// arguments that are not configuration flags (for the subcommand to read).
  public static func load(
    arguments: [String], environment: [String: String]
  ) throws(ConfigurationError) -> (Configuration, remaining: [String]) {
    var configuration = Configuration()
    var flags: [(option: ConfigurationOption, flag: String, value: String)] = []
    var remaining: [String] = []
    var file = environment["CHARTER_CONFIG"].flatMap { $0.isEmpty ? nil : $0 }
    var fileIsExplicit = file != nil

    var index = 0
    while index < arguments.count {
      let argument = arguments[index]
      index += 1
      let (name, inlineValue) = splitFlag(argument)
      let option = ConfigurationOption.all.first { $0.flag == name }
      guard name == "--config" || option != nil else {
        remaining.append(argument)
        continue
      }
      let value: String
      if let inlineValue {
        value = inlineValue
      } else if index < arguments.count {
        value = arguments[index]
        index += 1
      } else {
        throw ConfigurationError(source: .flag(name), key: nil, message: "needs a value")
      }
      if let option {
        flags.append((option, name, value))
      } else {
        file = value
        fileIsExplicit = true
      }
    }

    if file == nil, FileManager.default.fileExists(atPath: systemFile) { file = systemFile }
    if let file {
      try configuration.read(file: file, mustExist: fileIsExplicit)
    }
    for option in ConfigurationOption.all {
      if let value = environment[option.environmentVariable] {
        try configuration.set(option.key, value, from: .environment(option.environmentVariable))
      }
    }
    for (option, flag, value) in flags {
      try configuration.set(option.key, value, from: .flag(flag))
    }
    return (configuration, remaining)
  }

  private static func splitFlag(_ argument: String) -> (String, String?) {
    guard argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") else {
      return (argument, nil)
    }
    return (String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
  }

  /// Reads a TOML configuration file; its tables are the dotted prefixes of the keys.
  mutating func read(file path: String, mustExist: Bool) throws(ConfigurationError) {
    let text: String
    do {
      text = try String(contentsOfFile: path, encoding: .utf8)
    } catch {
      guard mustExist else { return }
      throw ConfigurationError(
        source: nil, key: nil, message: "cannot read configuration file \(path)")
    }
    let root: TOMLTable
    do {
      root = try TOML.parse(text, file: path)
    } catch {
      throw ConfigurationError(source: nil, key: nil, message: error.description)
    }
    self.file = path
    try apply(table: root, prefix: "", file: path)
  }

  private mutating func apply(table: TOMLTable, prefix: String, file: String)
    throws(ConfigurationError)
  {
    for key in table.keys {
      guard let node = table[key] else { continue }
      let fullKey = prefix + key
      let source = Source.file(path: file, line: node.line)
      switch node.value {
      case .table(let child):
        try apply(table: child, prefix: fullKey + ".", file: file)
      case .string(let text):
        try set(fullKey, text, from: source)
      case .integer(let number):
        try set(fullKey, String(number), from: source)
      case .bool(let flag):
        try set(fullKey, flag ? "true" : "false", from: source)
      default:
        throw ConfigurationError(
          source: source, key: fullKey, message: "expected a string, an integer or a boolean")
      }
    }
  }

  /// The effective configuration as TOML, each value with where it came from; secrets
  /// are masked unless `revealSecrets`.
  public func rendered(revealSecrets: Bool = false) -> String {
    var lines = ["# Effective configuration" + (file.map { " (file: \($0))" } ?? "")]
    var currentTable = ""
    for option in ConfigurationOption.all {
      let parts = option.key.split(separator: ".")
      let table = parts.count > 1 ? parts.dropLast().joined(separator: ".") : ""
      if table != currentTable {
        lines.append("")
        lines.append("[\(table)]")
        currentTable = table
      }
      var value = self[option.key]
      if option.secret && !value.isEmpty && !revealSecrets { value = Self.masked(value) }
      let source = sources[option.key] ?? .defaultValue
      let reload = option.reloadable ? "reload" : "restart"
      lines.append(
        "\(parts.last ?? "") = \(option.kind.tomlLiteral(value))  # \(source); \(reload)")
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// A URL keeps its shape with the password hidden; anything else is hidden whole.
  static func masked(_ value: String) -> String {
    guard var components = URLComponents(string: value), components.scheme != nil else {
      return "********"
    }
    if components.password != nil { components.password = "********" }
    return components.string ?? "********"
  }

  static func tomlString(_ value: String) -> String {
    var escaped = ""
    for scalar in value.unicodeScalars {
      switch scalar {
      case "\"": escaped += "\\\""
      case "\\": escaped += "\\\\"
      case "\n": escaped += "\\n"
      case "\t": escaped += "\\t"
      default:
        if scalar.value < 0x20 || scalar.value == 0x7F {
          escaped += String(format: "\\u%04X", scalar.value)
        } else {
          escaped.unicodeScalars.append(scalar)
        }
      }
    }
    return "\"\(escaped)\""
  }
}

extension ConfigurationOption.Kind {
  /// The value as a TOML literal: integers and booleans bare, everything else a string.
  func tomlLiteral(_ value: String) -> String {
    switch self {
    case .integer where Int(value) != nil: value
    case .boolean where value == "true" || value == "false": value
    default: Configuration.tomlString(value)
    }
  }
}
