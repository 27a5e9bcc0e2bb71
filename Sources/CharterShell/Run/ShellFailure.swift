/// A reason to stop the shell, with the exit status it leads to. `message` is shown as is
/// (it may span lines) after `charter: `.
public struct ShellFailure: Error, Sendable, CustomStringConvertible {
  public let status: ExitStatus
  public let message: String

  public init(_ status: ExitStatus, _ message: String) {
    self.status = status
    self.message = message
  }

  public var description: String { message }
}
