import CharterAdminServer
import CharterProtocol
import CharterTLS
import Foundation

#if canImport(Glibc)
  @preconcurrency import Glibc
#endif

/// Runs the admin server with the built-in commands (PING needs no database) until stdin
/// closes. Caps and pre-login limits are lifted: the benchmark's thousands of PINGs and
/// sessions all come logged out from one address, which the defaults rightly refuse
/// (docs/architecture.md, "Caps"), and the point here is the cost of the work, not the guard.
func serveAdminServerForBenchmark(folder: String) throws {
  let identity = try SelfSignedServerIdentity.loadOrCreate(in: folder)
  let context = try TLSServerContext(TLSServerConfiguration(identity))
  var limits = SessionLimits.default
  limits.preLoginByteBudget = Int.max / 2
  limits.loginTimeout = .seconds(3_600)
  limits.idleTimeoutBeforeLogin = .seconds(3_600)
  let server = AdminServer(
    settings: AdminServerSettings(
      host: "127.0.0.1", port: 0, limits: limits, maxSessions: 100_000,
      maxSessionsPerAddress: 100_000),
    context: context)
  try server.start()
  // Unbuffered: the script waits for this line.
  FileHandle.standardOutput.write(Data("port \(server.port)\n".utf8))
  var byte: UInt8 = 0
  while read(STDIN_FILENO, &byte, 1) > 0 {}
}
