/// The start-up posture check failed: the daemon must not run. Lists every violation found,
/// each naming the role, table, view or function at fault.
public struct PostureViolation: Error, Sendable, CustomStringConvertible {
  public struct Violation: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, CaseIterable {
      case runtimeRoleMissing = "runtime_role_missing"
      case superuser
      case bypassRLS = "bypassrls"
      case createRole = "createrole"
      case createDatabase = "createdb"
      case ownsRelation = "owns_relation"
      case ownsSchema = "owns_schema"
      case canCreateInSchema = "schema_create"
      case rowSecurityDisabled = "rls_disabled"
      case rowSecurityNotForced = "rls_not_forced"
      case noPolicy = "no_policy"
      /// A permissive policy (ORed with the others) that does not compare with
      /// charter.current_tenant(): it would widen what a tenant sees.
      case policyWithoutTenantPredicate = "policy_without_tenant_predicate"
      case unloggedRelation = "unlogged"
      case viewWithoutSecurityInvoker = "view_without_security_invoker"
      case leakproofFunction = "leakproof_function"
      case synchronousCommitOffInRoleSetting = "role_setting_synchronous_commit_off"
      case synchronousCommitOffInSession = "session_synchronous_commit_off"
      case dispatchRoleMissing = "dispatch_role_missing"
      /// The BYPASSRLS dispatch role must be NOLOGIN: reachable only through its functions.
      case dispatchRoleCanLogin = "dispatch_role_can_login"
      /// The run-time role (or a role it belongs to) is a member of the dispatch role, and so
      /// could bypass row-level security.
      case runtimeInDispatchRole = "runtime_in_dispatch_role"
      /// The dispatch role owns something besides the scheduler's allowlisted functions.
      case dispatchRoleOwnsObject = "dispatch_role_owns_object"
      /// An allowlisted dispatch function lost SECURITY DEFINER, its pinned search_path, or is
      /// executable by a role other than the run-time group.
      case dispatchFunctionUnsafe = "dispatch_function_unsafe"
    }
    public var kind: Kind
    /// The role, table, view, function or setting at fault, e.g. `charter.deadline_jobs`.
    public var object: String

    public init(kind: Kind, object: String) {
      self.kind = kind
      self.object = object
    }

    public var description: String {
      switch kind {
      case .runtimeRoleMissing: "run-time role \(object) does not exist"
      case .superuser: "run-time role \(object) is a superuser (through membership or itself)"
      case .bypassRLS: "run-time role \(object) has BYPASSRLS"
      case .createRole: "run-time role \(object) has CREATEROLE"
      case .createDatabase: "run-time role \(object) has CREATEDB"
      case .ownsRelation: "run-time role owns a relation: \(object)"
      case .ownsSchema: "run-time role owns the schema: \(object)"
      case .canCreateInSchema: "run-time role may CREATE in schema \(object)"
      case .rowSecurityDisabled: "tenant table \(object) does not have row level security enabled"
      case .rowSecurityNotForced: "tenant table \(object) does not FORCE row level security"
      case .noPolicy: "tenant table \(object) has no row level security policy"
      case .policyWithoutTenantPredicate:
        "tenant table \(object): a permissive policy that does not test charter.current_tenant()"
      case .unloggedRelation:
        "\(object) is UNLOGGED: it would be emptied by a crash (RELIABILITY R14)"
      case .viewWithoutSecurityInvoker:
        "view \(object) reads row-level-secured tables without security_invoker"
      case .leakproofFunction: "function \(object) is LEAKPROOF"
      case .synchronousCommitOffInRoleSetting:
        "synchronous_commit is off in a database or role setting for the run-time role: \(object)"
      case .synchronousCommitOffInSession: "synchronous_commit is \(object) in the run-time session"
      case .dispatchRoleMissing:
        "dispatch role \(object) does not exist (run Deploy/postgres/roles.sql as a superuser)"
      case .dispatchRoleCanLogin: "dispatch role \(object) (BYPASSRLS) can log in"
      case .runtimeInDispatchRole: "run-time role is a member of the dispatch role: \(object)"
      case .dispatchRoleOwnsObject: "dispatch role owns an object it must not: \(object)"
      case .dispatchFunctionUnsafe:
        "dispatch function \(object) is not SECURITY DEFINER with a pinned search_path, "
          + "or is executable by a role other than charter_runtime"
      }
    }
  }

  public var violations: [Violation]

  public init(violations: [Violation]) {
    self.violations = violations
  }

  public var description: String {
    "database posture refused (\(violations.count) problem\(violations.count == 1 ? "" : "s")):\n"
      + violations.map { "  - \($0.description)" }.joined(separator: "\n")
  }
}
