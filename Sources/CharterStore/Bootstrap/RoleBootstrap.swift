public import CharterPostgres

/// Creates Charter's roles, run as a superuser: by the embedded cluster at first start and by the
/// tests. For an external server the same statements are shipped as Deploy/postgres/roles.sql
/// (a test checks the two agree). See that file for what each role is for.
public enum RoleBootstrap {
  public static let ownerRole = "charter_owner"
  public static let runtimeGroupRole = "charter_runtime"
  public static let appRole = "charter_app"
  /// NOLOGIN, BYPASSRLS: owns the scheduler's cross-tenant functions and nothing else.
  public static let dispatchRole = "charter_dispatch"

  public enum LoginRole: String, Sendable {
    case owner = "charter_owner"
    case app = "charter_app"
  }

  /// Creates (or puts right) the four roles. Idempotent, and safe to run concurrently.
  public static func createRoles(superuser connection: PostgresConnection) async throws {
    try await connection.executeScript(rolesSQL)
  }

  /// Creates a database owned by charter_owner unless it exists. The name is an identifier
  /// and cannot be a parameter, so it is restricted to lower-case letters, digits and `_`.
  public static func createDatabase(named name: String, superuser connection: PostgresConnection)
    async throws
  {
    guard isPlainIdentifier(name) else { throw RoleBootstrapError.invalidDatabaseName(name) }
    do {
      try await connection.executeScript("create database \"\(name)\" owner charter_owner")
    } catch {
      // duplicate_database: already there (perhaps created by a concurrent start).
      guard error.sqlState == "42P04" else { throw error }
    }
  }

  /// Sets a login role's password, for servers reached over TCP. The password travels as a
  /// transaction-local setting (a bound parameter) and PostgreSQL quotes it (format %L): it is
  /// never pasted into SQL here, and the statement text the server may log does not hold it.
  public static func setPassword(
    _ password: String, for role: LoginRole, superuser connection: PostgresConnection
  ) async throws {
    let settings = [
      "charter.bootstrap_role": role.rawValue, "charter.bootstrap_password": password,
    ]
    try await connection.transaction(settings: settings) { connection in
      try await connection.executeScript(
        """
        do $charter_password$
        begin
            execute pg_catalog.format('alter role %I password %L',
                pg_catalog.current_setting('charter.bootstrap_role'),
                pg_catalog.current_setting('charter.bootstrap_password'));
        end
        $charter_password$
        """)
    }
  }

  static func isPlainIdentifier(_ name: String) -> Bool {
    guard let first = name.first, first.isASCII, first.isLowercase || first == "_",
      name.utf8.count <= 63
    else { return false }
    return name.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") }
  }

  /// The statements of Deploy/postgres/roles.sql after its comments.
  static let rolesSQL = """
    do $charter_roles$
    begin
        perform pg_catalog.pg_advisory_xact_lock(1128808786, 0);
        begin
            create role charter_owner login nosuperuser nobypassrls nocreaterole nocreatedb;
        exception when duplicate_object or unique_violation then null;
        end;
        begin
            create role charter_runtime nologin nosuperuser nobypassrls nocreaterole nocreatedb;
        exception when duplicate_object or unique_violation then null;
        end;
        begin
            create role charter_app login nosuperuser nobypassrls nocreaterole nocreatedb;
        exception when duplicate_object or unique_violation then null;
        end;
        begin
            create role charter_dispatch nologin bypassrls nosuperuser nocreaterole nocreatedb;
        exception when duplicate_object or unique_violation then null;
        end;
        if not pg_catalog.pg_has_role('charter_app', 'charter_runtime', 'MEMBER') then
            begin
                grant charter_runtime to charter_app;
            exception when duplicate_object or unique_violation then null;
            end;
        end if;
        -- charter_owner hands the scheduler's cross-tenant functions to charter_dispatch in a
        -- migration (ALTER FUNCTION ... OWNER TO needs membership). charter_app must never be one.
        if not pg_catalog.pg_has_role('charter_owner', 'charter_dispatch', 'MEMBER') then
            begin
                grant charter_dispatch to charter_owner;
            exception when duplicate_object or unique_violation then null;
            end;
        end if;
        -- Roles that existed before: put right whatever is wrong, and only that.
        if exists (select from pg_catalog.pg_roles where rolname = 'charter_owner'
                   and (not rolcanlogin or rolsuper or rolbypassrls or rolcreaterole or rolcreatedb)) then
            alter role charter_owner login nosuperuser nobypassrls nocreaterole nocreatedb;
        end if;
        if exists (select from pg_catalog.pg_roles where rolname = 'charter_runtime'
                   and (rolcanlogin or rolsuper or rolbypassrls or rolcreaterole or rolcreatedb)) then
            alter role charter_runtime nologin nosuperuser nobypassrls nocreaterole nocreatedb;
        end if;
        if exists (select from pg_catalog.pg_roles where rolname = 'charter_app'
                   and (not rolcanlogin or rolsuper or rolbypassrls or rolcreaterole or rolcreatedb)) then
            alter role charter_app login nosuperuser nobypassrls nocreaterole nocreatedb;
        end if;
        if exists (select from pg_catalog.pg_roles where rolname = 'charter_dispatch'
                   and (rolcanlogin or not rolbypassrls or rolsuper or rolcreaterole or rolcreatedb)) then
            alter role charter_dispatch nologin bypassrls nosuperuser nocreaterole nocreatedb;
        end if;
    end
    $charter_roles$;
    """
}

public enum RoleBootstrapError: Error, Sendable, CustomStringConvertible {
  case invalidDatabaseName(String)

  public var description: String {
    switch self {
    case .invalidDatabaseName(let name):
      "database name \(name) must be lower-case letters, digits and _ (at most 63 bytes)"
    }
  }
}
