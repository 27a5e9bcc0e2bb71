public import Foundation

/// Where the PostgreSQL server programs (initdb, pg_ctl, postgres) live.
///
/// Debian keeps them out of PATH in /usr/lib/postgresql/<major>/bin, so PATH alone is not
/// enough: the order is an explicit directory, `pg_config --bindir`'s usual answer
/// (found through PATH), then Debian's place, newest major version first.
public struct PostgresBinaries: Sendable, Equatable {
  public let directory: URL

  public init(directory: URL) { self.directory = directory }

  public var initdb: String { directory.appendingPathComponent("initdb").path }
  public var pgCtl: String { directory.appendingPathComponent("pg_ctl").path }

  public struct NotFound: Error, CustomStringConvertible {
    public var description: String {
      "PostgreSQL server programs (initdb, pg_ctl) not found on PATH or in /usr/lib/postgresql/*/bin: "
        + "install the postgresql package (Scripts/setup does) or configure a postgres:// URL"
    }
  }

  public static func locate(
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws -> PostgresBinaries {
    let fileManager = FileManager.default
    func hasServer(_ directory: URL) -> Bool {
      fileManager.isExecutableFile(atPath: directory.appendingPathComponent("initdb").path)
        && fileManager.isExecutableFile(atPath: directory.appendingPathComponent("pg_ctl").path)
    }
    var candidates: [URL] = []
    if let explicit = environment["CHARTER_PG_BINDIR"], !explicit.isEmpty {
      candidates.append(URL(fileURLWithPath: explicit))
    }
    for entry in (environment["PATH"] ?? "").split(separator: ":") {
      let directory = URL(fileURLWithPath: String(entry))
      let initdb = directory.appendingPathComponent("initdb")
      // A symbolic link on PATH (/usr/local/bin/initdb -> /usr/lib/postgresql/15/bin/initdb)
      // points to the directory that also holds pg_ctl and postgres.
      candidates.append(initdb.resolvingSymlinksInPath().deletingLastPathComponent())
    }
    let debianRoot = URL(fileURLWithPath: "/usr/lib/postgresql")
    let majors = ((try? fileManager.contentsOfDirectory(atPath: debianRoot.path)) ?? [])
      .compactMap(Int.init).sorted(by: >)
    candidates += majors.map { debianRoot.appendingPathComponent("\($0)/bin") }
    guard let found = candidates.first(where: hasServer) else { throw NotFound() }
    return PostgresBinaries(directory: found)
  }
}
