/// Entry point of the reader: `try TOML.parse(text, file: "charters/aii.toml")`.
public enum TOML {
  /// Parses a TOML 1.0 document. Local date-times and local times are refused (the
  /// configuration never needs a time without a zone); everything else of TOML 1.0 is read.
  public static func parse(_ text: String, file: String? = nil) throws(TOMLError) -> TOMLTable {
    var parser = TOMLParser(text: text)
    do {
      return try parser.parseDocument()
    } catch {
      var located = error
      located.file = file
      throw located
    }
  }
}
