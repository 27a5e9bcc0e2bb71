enum MigrateCommand {
    static func run(configuration: Configuration, arguments: [String]) async -> Int32 { 1 }
}
