/// A password or signing key. Its description, debug description and reflection are masked,
/// so string interpolation, logs, errors and audit details never show the value; only
/// `revealed` does, at the one place that hands it to libcurl or to HMAC.
public struct Secret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible,
  CustomReflectable
{
  public let revealed: String

  public init(_ value: String) { revealed = value }

  public var description: String { "<secret>" }
  public var debugDescription: String { "<secret>" }
  public var customMirror: Mirror { Mirror(self, children: []) }
}
