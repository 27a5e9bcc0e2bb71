import CharterAdminServer
import CharterWorkflows
import Logging
import Synchronization

/// SIGHUP and the RELOAD command take this one path: read the configuration again (same
/// file, environment and flags as at start), apply what may change — log level and format,
/// the TLS certificate and the session limits for new sessions, the rules data after
/// validating it — and keep the running value of everything else, saying which changed
/// keys need a restart. A file that does not parse changes nothing. Reloads are serialised.
final class ConfigurationReloader: Sendable {
  /// What became of one changed setting.
  enum Effect: Sendable, Equatable {
    case applied
    /// Not reloadable (`ConfigurationOption.reloadable`): the running value stays.
    case needsRestart
    /// Reloadable, but the new value did not load (a certificate, a calendar): the running
    /// value stays.
    case kept(reason: String)
  }

  struct Change: Sendable, Equatable {
    var key: String
    var effect: Effect
  }

  struct Report: Sendable {
    /// The configuration file read, if any.
    var file: String?
    var changes: [Change]
    /// Why the configuration was not read at all (nothing applied), or nil.
    var refusal: String?

    var needingRestart: [String] {
      changes.filter { $0.effect == .needsRestart }.map(\.key)
    }
  }

  private struct State {
    var current: Configuration
    var adminServer: AdminServer?
    var workflows: WorkflowService?
  }

  private let state: Mutex<State>
  private let read: @Sendable () throws -> Configuration
  private let serviceManager: ServiceManagerLink

  /// - Parameter read: loads the configuration as at start (the same arguments).
  init(
    running: Configuration, serviceManager: ServiceManagerLink,
    read: @escaping @Sendable () throws -> Configuration
  ) {
    state = Mutex(State(current: running))
    self.read = read
    self.serviceManager = serviceManager
  }

  /// The server whose certificate and limits a reload replaces (it starts after the
  /// command handlers that need this reloader are made).
  func attach(_ server: AdminServer) {
    state.withLock { $0.adminServer = server }
  }

  /// The workflows whose calendar and charters folder a reload replaces.
  func attach(_ workflows: WorkflowService) {
    state.withLock { $0.workflows = workflows }
  }

  /// Reads and applies the configuration; `trigger` ("SIGHUP", "RELOAD by admin") goes
  /// into the log lines.
  @discardableResult
  func reload(trigger: String) -> Report {
    state.withLock { state in
      serviceManager.reloading()
      defer { serviceManager.ready(status: "serving; configuration reloaded") }
      let metadata: Logger.Metadata = ["trigger": "\(trigger)"]
      let next: Configuration
      do {
        next = try read()
      } catch {
        DaemonLog.error(
          "reload refused, keeping the running configuration: \(error)", metadata)
        return Report(file: state.current.file, changes: [], refusal: "\(error)")
      }
      let previous = state.current
      var applied = previous.applyingReloadable(from: next)
      var kept: [String: String] = [:]

      if ["calendar.file", "calendar.fallback", "charters.directory"].contains(where: {
        applied[$0] != previous[$0]
      }) {
        do {
          let rules = try GovernanceData.load(applied)
          state.workflows?.useRules(
            calendar: rules.calendar, chartersDirectory: rules.profilesDirectory)
          DaemonLog.info("reload: rules data: \(rules.summary)", metadata)
        } catch {
          for key in ["calendar.file", "calendar.fallback", "charters.directory"]
          where applied[key] != previous[key] {
            kept[key] = "\(error)"
          }
          applied.restore(
            ["calendar.file", "calendar.fallback", "charters.directory"], from: previous)
        }
      }

      // Always, not only when a key changed: a renewed certificate is usually written over
      // the same files.
      if let server = state.adminServer {
        do {
          let context = try AdminServerSetup.tlsContext(applied)
          server.reload(context: context, settings: try AdminServerSetup.settings(applied))
          DaemonLog.info(
            "reload: the admin server uses the new certificate and limits for new sessions",
            metadata)
        } catch {
          DaemonLog.error("reload: keeping the running TLS certificate: \(error)", metadata)
          let tlsKeys = ["tls.certificate", "tls.key", "tls.client_ca"]
          for key in tlsKeys where applied[key] != previous[key] { kept[key] = "\(error)" }
          applied.restore(tlsKeys, from: previous)
        }
      }

      var changes: [Change] = []
      for option in ConfigurationOption.all where next[option.key] != previous[option.key] {
        let effect: Effect =
          if !option.reloadable {
            .needsRestart
          } else if let reason = kept[option.key] {
            .kept(reason: reason)
          } else {
            .applied
          }
        changes.append(Change(key: option.key, effect: effect))
        switch effect {
        case .applied:
          DaemonLog.info("reload: \(option.key) changed", metadata)
        case .needsRestart:
          DaemonLog.warning(
            "reload: \(option.key) changed but needs a restart; keeping the running value",
            metadata)
        case .kept(let reason):
          DaemonLog.warning(
            "reload: \(option.key) changed but did not load; keeping the running value: \(reason)",
            metadata)
        }
      }
      state.current = applied
      DaemonLog.configure(applied)
      if changes.isEmpty { DaemonLog.info("reload: no setting changed", metadata) }
      return Report(file: applied.file, changes: changes, refusal: nil)
    }
  }
}

extension Configuration {
  /// Puts back the running values of `keys` (a new value that did not load).
  fileprivate mutating func restore(_ keys: [String], from previous: Configuration) {
    for key in keys {
      try? set(key, previous[key], from: previous.sources[key] ?? .defaultValue)
    }
  }
}
