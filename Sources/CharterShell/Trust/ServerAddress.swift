/// Where the server is: a host name or IP address and a TCP port.
public struct ServerAddress: Hashable, Sendable, CustomStringConvertible {
  /// Lower-cased host name, or an IP address without brackets.
  public let host: String
  public let port: UInt16

  public static let defaultPort: UInt16 = 7433

  public init(host: String, port: UInt16) {
    self.host = host.lowercased()
    self.port = port
  }

  /// `host`, `host:port`, `[v6]`, `[v6]:port`, or a bare IPv6 address (several colons, no
  /// port). Without a port, `defaultPort` is used; with `defaultPort` nil a port is required.
  public init(parsing text: String, defaultPort: UInt16? = ServerAddress.defaultPort)
    throws(ShellUsageError)
  {
    var host: Substring
    var portText: Substring?
    if text.hasPrefix("[") {
      guard let close = text.firstIndex(of: "]") else {
        throw ShellUsageError("bad address \(text): missing ]")
      }
      host = text[text.index(after: text.startIndex)..<close]
      let rest = text[text.index(after: close)...]
      if !rest.isEmpty {
        guard rest.hasPrefix(":") else { throw ShellUsageError("bad address \(text)") }
        portText = rest.dropFirst()
      }
    } else if text.filter({ $0 == ":" }).count == 1, let colon = text.firstIndex(of: ":") {
      host = text[..<colon]
      portText = text[text.index(after: colon)...]
    } else {
      host = Substring(text)
    }
    guard !host.isEmpty, !host.contains(where: { $0 == " " || $0 == "\t" || $0 == "/" }) else {
      throw ShellUsageError("bad address \(text): no host")
    }
    let port: UInt16
    if let portText {
      guard let parsed = UInt16(portText), parsed > 0 else {
        throw ShellUsageError("bad port in \(text) (1-65535)")
      }
      port = parsed
    } else if let defaultPort {
      port = defaultPort
    } else {
      throw ShellUsageError("\(text) has no port")
    }
    self.init(host: String(host), port: port)
  }

  /// `host:port`, with brackets around an IPv6 address.
  public var description: String {
    host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
  }
}
