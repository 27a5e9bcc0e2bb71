enum RunCommand {
    static func run(configuration: Configuration) async -> Int32 { 1 }
}
