import CharterAdminServer
import CharterProtocol
import Foundation

/// The tenant a JOBS, NOTICES or STATS command acts on, exactly like the ADMIN commands: a
/// tenant administrator's own tenant (from the session, never an argument), an operator's
/// tenant chosen with TENANT USE.
extension AccountsService {
  /// The current tenant, or nil for an operator without TENANT USE.
  func currentTenant(_ context: CommandContext) async throws -> TenantRef? {
    try await adminHome(context).tenant
  }

  /// The current tenant; an operator without TENANT USE is told to choose one.
  func requiredTenant(_ context: CommandContext) async throws -> TenantRef {
    guard let tenant = try await currentTenant(context) else {
      throw CommandFailure(.noTenantSelected, "TENANT USE <slug> first")
    }
    return tenant
  }

  /// The `<id>` argument (the table checked it is a UUID).
  static func idArgument(_ context: CommandContext) throws -> UUID {
    let text = context.invocation.arguments.string("id") ?? ""
    guard let id = UUID(uuidString: text) else {
      throw CommandFailure(
        .badArguments, "<id> is not a uuid; usage: \(context.invocation.spec.usage)")
    }
    return id
  }

  /// Start of a civil day in Asia/Shanghai (no daylight saving time: a fixed +08:00), the
  /// zone the AUDIT commands use for days too.
  static func shanghaiDayStart(_ day: (year: Int, month: Int, day: Int)) -> Date? {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(secondsFromGMT: 8 * 3600) ?? .gmt
    return calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day))
  }
}
