/// A mistake on the command line: printed with a pointer to `--help`, exit status 2.
public struct ShellUsageError: Error, Hashable, Sendable, CustomStringConvertible {
  public let message: String

  public init(_ message: String) { self.message = message }

  public var description: String { message }
}
