/// The transaction-local settings the row-level security policies read (SQL/0001_foundation.sql).
/// They are set with `set_config(name, value, true)`, so they end with the transaction and a
/// pooled connection never carries them into another borrower's transaction.
public enum TenancySettings {
  /// The tenant whose rows the transaction may see and write; read by `charter.current_tenant()`.
  public static let tenant = "charter.tenant"
  /// `installation` opens the installation-level tables (tenants, operators) to operator
  /// commands. Tenant tables ignore it.
  public static let scope = "charter.scope"
  public static let installationScope = "installation"
}
