import Foundation

/// Where `charterd calendar` looks for the statutory calendar when no `--calendar` is given:
/// `calendar/cn-statutory.toml` under the installation's configuration (see
/// `InstallationResources`: $CHARTER_CONFIG_DIR, a checkout's Config/, /etc/charter,
/// /usr/share/charter).
struct CalendarFileLocator {
  static let relativePath = "calendar/cn-statutory.toml"

  var resources: InstallationResources

  init(environment: [String: String], executable: URL?) {
    resources = InstallationResources(environment: environment, executable: executable)
  }

  func candidates() -> [URL] { resources.candidates(.config, Self.relativePath) }

  func locate() -> URL? { resources.locate(.config, Self.relativePath) }

  static func currentExecutable() -> URL? { InstallationResources.currentExecutable() }
}
