/// The role of a tenant administrator, from the least to the most powerful.
public enum TenantRole: String, Hashable, Sendable, CaseIterable, Comparable {
  /// Read-only.
  case viewer
  /// The chair's office: runs the governance work of its tenant.
  case chairsOffice = "chairs_office"
  /// The secretariat: administers the tenant, including its administrators.
  case secretariat

  private var rank: Int {
    switch self {
    case .viewer: 0
    case .chairsOffice: 1
    case .secretariat: 2
    }
  }

  public static func < (lhs: TenantRole, rhs: TenantRole) -> Bool { lhs.rank < rhs.rank }
}

/// Whom an administrator acts for.
public enum AdminScope: Hashable, Sendable {
  /// An installation operator: every tenant, and the installation itself.
  case installation
  /// One tenant (its slug), with a role.
  case tenant(String, TenantRole)
}

/// A logged-in administrator, as the LOGIN handler established it.
public struct Principal: Hashable, Sendable {
  public var name: String
  public var scope: AdminScope

  public init(name: String, scope: AdminScope) {
    self.name = name
    self.scope = scope
  }

  public var isOperator: Bool { scope == .installation }
}

/// Who may run a command.
public enum CommandAccess: Hashable, Sendable {
  /// Anyone, also before login (PING, HELP, LOGIN, QUIT).
  case preLogin
  /// Any logged-in administrator.
  case anyLoggedIn
  /// Installation operators only.
  case operatorOnly
  /// Tenant administrators holding at least this role in their tenant, and operators
  /// (who act on the tenant chosen with `TENANT USE`; the handler checks one is chosen).
  /// A command that changes state is refused to viewers whatever the minimum says.
  case tenant(minimum: TenantRole)

  public var description: String {
    switch self {
    case .preLogin: "anyone, also before login"
    case .anyLoggedIn: "any logged-in administrator"
    case .operatorOnly: "operators"
    case .tenant(let minimum):
      minimum == .viewer
        ? "operators and tenant administrators"
        : "operators and tenant administrators with role \(minimum.rawValue) or higher"
    }
  }
}
