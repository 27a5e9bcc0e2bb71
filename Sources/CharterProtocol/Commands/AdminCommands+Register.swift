/// The Register commands of the governance workflows (issue 5).
extension AdminCommands {
  static let register: [CommandSpec] = []
}
