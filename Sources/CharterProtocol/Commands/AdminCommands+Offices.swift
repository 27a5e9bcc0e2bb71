/// The Offices commands of the governance workflows (issue 5).
extension AdminCommands {
  static let offices: [CommandSpec] = []
}
