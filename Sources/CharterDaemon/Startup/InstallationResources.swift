public import Foundation

/// Finds the files an installation ships beside the binary: `SQL/` (migrations) and
/// `Config/` (calendar data, charter profiles). In a checkout the binary sits in
/// `.build/<configuration>/`, so walking up from it finds the checkout's folders; a packaged
/// installation keeps them in /usr/share/charter (see Deploy/).
public enum InstallationResources {
    public struct NotFound: Error, CustomStringConvertible {
        public var relativePath: String
        public var searched: [String]
        public var description: String {
            "cannot find \(relativePath) (looked in \(searched.joined(separator: ", "))); name it in the configuration"
        }
    }

    /// The first existing `relativePath` under: each ancestor of the running executable's
    /// folder, then /usr/share/charter and /etc/charter.
    public static func locate(_ relativePath: String) throws -> URL {
        var searched: [String] = []
        var folder = executableDirectory
        while folder.path != "/" {
            let candidate = folder.appendingPathComponent(relativePath)
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
            searched.append(folder.path)
            folder = folder.deletingLastPathComponent()
        }
        for root in ["/usr/share/charter", "/etc/charter"] {
            let candidate = URL(fileURLWithPath: root).appendingPathComponent(relativePath)
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
            searched.append(root)
        }
        throw NotFound(relativePath: relativePath, searched: [searched.first ?? "", "…", "/usr/share/charter"])
    }

    static var executableDirectory: URL {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return URL(fileURLWithPath: resolved).deletingLastPathComponent()
        }
        return executable.deletingLastPathComponent()
    }
}
