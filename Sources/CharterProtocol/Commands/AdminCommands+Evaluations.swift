/// The Evaluations commands of the governance workflows (issue 5).
extension AdminCommands {
  static let evaluations: [CommandSpec] = []
}
