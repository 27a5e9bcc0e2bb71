public import Foundation
public import Logging

/// The daemon's swift-log handler: one line per event on stderr. Text (timestamp, level,
/// message, metadata as key=value) for a person at a terminal; JSON lines for a log
/// collector (journald, Loki, a file). Callers never pass secrets; URLs go through
/// `Configuration.masked`.
public struct DaemonLogHandler: LogHandler {
  public enum Format: String, Sendable {
    case text, json

    /// `log.format`: "auto" is text when stderr is a terminal, JSON lines otherwise.
    public static func resolve(_ setting: String, standardErrorIsTerminal: Bool) -> Format {
      switch setting {
      case "text": .text
      case "json": .json
      default: standardErrorIsTerminal ? .text : .json
      }
    }
  }

  public var logLevel: Logger.Level
  public var metadata: Logger.Metadata = [:]
  public var metadataProvider: Logger.MetadataProvider?
  public let label: String
  public let format: Format
  private let write: @Sendable (String) -> Void

  public init(
    label: String, format: Format, level: Logger.Level,
    write: (@Sendable (String) -> Void)? = nil
  ) {
    self.label = label
    self.format = format
    self.logLevel = level
    self.write = write ?? { StandardStreams.writeError($0) }
  }

  public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { metadata[key] }
    set { metadata[key] = newValue }
  }

  public func log(event: LogEvent) {
    var merged = metadata
    if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
    if let extra = event.metadata { merged.merge(extra) { _, new in new } }
    write(
      Self.line(
        format: format, date: Date(), level: event.level, label: label,
        message: event.message.description, metadata: merged))
  }

  /// One rendered line, newline included.
  public static func line(
    format: Format, date: Date, level: Logger.Level, label: String, message: String,
    metadata: Logger.Metadata
  ) -> String {
    let stamp = date.formatted(.iso8601)
    switch format {
    case .text:
      var line = "\(stamp) \(level) \(message)"
      for key in metadata.keys.sorted() {
        line += " \(key)=\(textValue(metadata[key] ?? .string("")))"
      }
      // A message never spans lines: a multi-line error stays one event for grep and tail.
      return line.replacingOccurrences(of: "\n", with: "\\n") + "\n"
    case .json:
      var object: [String: Any] = [
        "time": stamp, "level": level.rawValue, "label": label, "message": message,
      ]
      if !metadata.isEmpty { object["metadata"] = metadata.mapValues(jsonValue) }
      guard
        let data = try? JSONSerialization.data(
          withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]),
        let text = String(data: data, encoding: .utf8)
      else {
        return #"{"level":"error","message":"unencodable log event"}"# + "\n"
      }
      return text + "\n"
    }
  }

  private static func textValue(_ value: Logger.Metadata.Value) -> String {
    let text = value.description
    return text.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" })
      ? "\"" + text.replacingOccurrences(of: "\"", with: "\\\"") + "\"" : text
  }

  private static func jsonValue(_ value: Logger.Metadata.Value) -> Any {
    switch value {
    case .string(let text): text
    case .stringConvertible(let convertible): convertible.description
    case .array(let values): values.map(jsonValue)
    case .dictionary(let dictionary): dictionary.mapValues(jsonValue)
    }
  }
}
