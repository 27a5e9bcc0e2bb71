import CharterAdminServer
import CharterProtocol

extension AccountsService {
  /// WHOAMI: name, scope, role and the tenant commands apply to.
  func whoami(_ context: CommandContext) async throws -> CommandOutcome {
    guard let principal = context.invocation.principal else {
      throw CommandFailure(.notLoggedIn, "LOGIN <name> <password> first")
    }
    let row: [String]
    switch principal.scope {
    case .installation:
      row = [principal.name, "installation", "operator", context.invocation.tenant ?? ""]
    case .tenant(let slug, let role):
      row = [principal.name, "tenant", role.rawValue, slug]
    }
    return CommandOutcome(
      reply: .table(columns: ["name", "scope", "role", "tenant"], rows: [row], status: .ok("")))
  }
}
