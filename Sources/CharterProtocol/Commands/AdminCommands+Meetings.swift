/// The Meetings commands of the governance workflows (issue 5).
extension AdminCommands {
  static let meetings: [CommandSpec] = []
}
