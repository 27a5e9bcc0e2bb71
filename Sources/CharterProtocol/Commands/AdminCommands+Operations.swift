/// Commands for the operators of a hosted installation (issue 7).
extension AdminCommands {
  static let operations: [CommandSpec] = [
    CommandSpec(
      ["RELOAD"],
      summary:
        "re-read the configuration file and apply what may change, as SIGHUP does; "
        + "lists the changed settings and which need a restart",
      access: .operatorOnly, changesState: true)
  ]
}
