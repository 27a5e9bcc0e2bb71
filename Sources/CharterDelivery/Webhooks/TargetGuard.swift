import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// An IP network such as `127.0.0.0/8` or `fc00::/7`.
public struct IPNetwork: Sendable, Equatable, CustomStringConvertible {
  let address: [UInt8]
  let prefixLength: Int

  public init(_ text: String) throws(DeliveryError) {
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    guard let address = IPNetwork.parse(String(parts[0])), parts.count <= 2 else {
      throw .invalidValue("not an IP network: \(text)")
    }
    let length = parts.count == 2 ? Int(parts[1]) : address.count * 8
    guard let length, (0...address.count * 8).contains(length) else {
      throw .invalidValue("not an IP network: \(text)")
    }
    self.address = address
    prefixLength = length
  }

  public var description: String {
    IPNetwork.format(address) + "/\(prefixLength)"
  }

  func contains(_ candidate: [UInt8]) -> Bool {
    guard candidate.count == address.count else { return false }
    var remaining = prefixLength
    for index in 0..<address.count where remaining > 0 {
      let bits = min(8, remaining)
      let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
      if candidate[index] & mask != address[index] & mask { return false }
      remaining -= bits
    }
    return true
  }

  static func parse(_ text: String) -> [UInt8]? {
    var v4 = in_addr()
    if inet_pton(AF_INET, text, &v4) == 1 {
      return withUnsafeBytes(of: &v4) { Array($0) }
    }
    var v6 = in6_addr()
    if inet_pton(AF_INET6, text, &v6) == 1 {
      return withUnsafeBytes(of: &v6) { Array($0) }
    }
    return nil
  }

  static func format(_ bytes: [UInt8]) -> String {
    var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
    let family = bytes.count == 4 ? AF_INET : AF_INET6
    let ok = bytes.withUnsafeBytes { raw in
      inet_ntop(family, raw.baseAddress, &buffer, socklen_t(buffer.count)) != nil
    }
    guard ok else { return "?" }
    let length = buffer.firstIndex(of: 0) ?? buffer.count
    return String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }
}

/// A webhook target checked and pinned: curl connects to `address` whatever DNS says later
/// (CURLOPT_RESOLVE), so a name that re-resolves to 127.0.0.1 cannot bypass the check.
struct PinnedTarget: Sendable, Equatable {
  let url: String
  let host: String
  let port: Int
  let address: String

  /// The CURLOPT_RESOLVE entry: `host:port:address`, IPv6 in brackets.
  var resolveEntry: String {
    "\(host):\(port):" + (address.contains(":") ? "[\(address)]" : address)
  }
}

/// RELIABILITY S8: a webhook may only go to a public address. Loopback, link-local (the cloud
/// metadata address 169.254.169.254 included), private (RFC 1918, fc00::/7), unspecified,
/// multicast and other special ranges are refused unless one of the operator's allowed networks
/// contains the address.
public struct WebhookTargetGuard: Sendable {
  public var allowedNetworks: [IPNetwork]

  public init(allowedNetworks: [IPNetwork] = []) {
    self.allowedNetworks = allowedNetworks
  }

  static let blockedNetworks: [IPNetwork] = [
    "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
    "172.16.0.0/12", "192.0.0.0/24", "192.168.0.0/16", "198.18.0.0/15", "224.0.0.0/4",
    "240.0.0.0/4", "::/128", "::1/128", "::ffff:0:0/96", "64:ff9b::/96", "fc00::/7", "fe80::/10",
    "ff00::/8",
  ].compactMap { try? IPNetwork($0) }

  /// Checks the URL (http or https, no user info) and resolves its host; every address it
  /// resolves to must be allowed, and the first is pinned.
  func pin(_ urlText: String) throws(DeliveryError) -> PinnedTarget {
    guard let components = URLComponents(string: urlText), let scheme = components.scheme,
      ["http", "https"].contains(scheme.lowercased()), var host = components.host, !host.isEmpty,
      components.user == nil, components.password == nil
    else { throw .invalidValue("webhook URL must be http(s)://host/...") }
    if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
    let port = components.port ?? (scheme.lowercased() == "https" ? 443 : 80)
    let addresses = try Self.resolve(host: host, port: port)
    guard let first = addresses.first else { throw .targetRefused("\(host) does not resolve") }
    for address in addresses where !isAllowed(address) {
      throw .targetRefused(
        "\(host) resolves to \(IPNetwork.format(address)), a non-public address the operator has not allowed"
      )
    }
    return PinnedTarget(url: urlText, host: host, port: port, address: IPNetwork.format(first))
  }

  /// The check `WebhookTransport` makes before every request, for an administrator setting a
  /// URL (DELIVERY SET): the scheme, no user info, and every address the host resolves to now.
  /// getaddrinfo blocks, so it runs on a Dispatch queue, never on the concurrency pool.
  public func check(_ url: String) async throws(DeliveryError) {
    let guardrail = self
    let result: Result<Void, DeliveryError> = await withCheckedContinuation { continuation in
      DispatchQueue.global().async {
        do throws(DeliveryError) {
          _ = try guardrail.pin(url)
          continuation.resume(returning: .success(()))
        } catch {
          continuation.resume(returning: .failure(error))
        }
      }
    }
    try result.get()
  }

  func isAllowed(_ address: [UInt8]) -> Bool {
    if allowedNetworks.contains(where: { $0.contains(address) }) { return true }
    return !Self.blockedNetworks.contains(where: { $0.contains(address) })
  }

  static func resolve(host: String, port: Int) throws(DeliveryError) -> [[UInt8]] {
    var hints = addrinfo()
    hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    hints.ai_family = AF_UNSPEC
    var list: UnsafeMutablePointer<addrinfo>?
    let status = getaddrinfo(host, String(port), &hints, &list)
    guard status == 0 else {
      throw .targetRefused("\(host) does not resolve: \(String(cString: gai_strerror(status)))")
    }
    defer { freeaddrinfo(list) }
    var result: [[UInt8]] = []
    var cursor = list
    while let entry = cursor {
      if let address = entry.pointee.ai_addr {
        if entry.pointee.ai_family == AF_INET {
          let bytes = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
            var a = $0.pointee.sin_addr
            return withUnsafeBytes(of: &a) { Array($0) }
          }
          if !result.contains(bytes) { result.append(bytes) }
        } else if entry.pointee.ai_family == AF_INET6 {
          let bytes = address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
            var a = $0.pointee.sin6_addr
            return withUnsafeBytes(of: &a) { Array($0) }
          }
          if !result.contains(bytes) { result.append(bytes) }
        }
      }
      cursor = entry.pointee.ai_next
    }
    return result
  }
}
