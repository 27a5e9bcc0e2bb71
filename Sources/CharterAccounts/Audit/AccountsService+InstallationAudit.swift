public import CharterAdminServer
public import CharterProtocol

extension AccountsService {
  /// One row of the installation's audit log for a successful operator command that changes
  /// the running installation rather than rows in a transaction of its own (RELOAD, issue 7).
  public func auditInstallationChange(_ context: CommandContext, note: String? = nil) async {
    await write(Self.successEntry(context, note: note), to: .installation(targetTenant: nil))
  }

  /// The same for such a command that failed; its handler answers `.error(code, message)`.
  public func auditInstallationFailure(
    _ context: CommandContext, code: StatusCode, message: String
  ) async {
    await auditFailure(
      context, CommandFailure(code, message, target: .installation(targetTenant: nil)))
  }
}
