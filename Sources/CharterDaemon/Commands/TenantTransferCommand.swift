import CharterPostgres
import CharterStore
import Foundation

/// `charterd tenant export SLUG FILE` writes one tenant's complete data to FILE;
/// `charterd tenant import FILE` loads such a file into this installation (issue 7). Both work
/// as the owner role on the embedded or external database, like `charterd migrate`; the
/// import refuses a file from another schema version or an existing slug and is all or nothing.
enum TenantTransferCommand {
  private enum Action {
    case export(slug: String, file: URL)
    case load(file: URL)
  }

  static func run(configuration: Configuration, arguments: [String]) async -> Int32 {
    let action: Action
    let operands = arguments.filter { !$0.hasPrefix("-") }
    guard operands == arguments else { return DaemonCommandLine.unexpectedArguments(arguments) }
    if operands.count == 3, operands[0] == "export" {
      action = .export(slug: operands[1], file: URL(fileURLWithPath: operands[2]))
    } else if operands.count == 2, operands[0] == "import" {
      action = .load(file: URL(fileURLWithPath: operands[1]))
    } else {
      return DaemonCommandLine.unexpectedArguments(arguments)
    }
    return await runAsOwner(configuration, label: "tenant") { connection in
      switch action {
      case .export(let slug, let file):
        let rows = try await TenantExport.write(tenant: slug, to: file, connection: connection)
        print("exported tenant \(slug): \(rows) rows to \(file.path)")
      case .load(let file):
        let summary = try await TenantImport.load(from: file, connection: connection)
        print("imported tenant \(summary.slug) (\(summary.tenant)): \(summary.rows) rows")
      }
    }
  }
}
