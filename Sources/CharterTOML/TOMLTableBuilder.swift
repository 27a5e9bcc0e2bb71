/// The mutable tree built while parsing. TOML's rules on redefinition depend on how each
/// table came to exist, so the tree remembers it until the document is complete.
final class TOMLTableBuilder {
  enum Origin {
    case root
    /// Opened by a `[header]`: may not be opened again.
    case header
    /// Created as the parent of a `[a.b]` header: a later `[a]` may still define it.
    case implicit
    /// Created by a dotted key `a.b = 1`: may be extended only by dotted keys and sub-tables.
    case dotted
  }

  enum Entry {
    case value(TOMLNode)
    case table(TOMLTableBuilder)
    case tableArray([TOMLTableBuilder], line: Int, column: Int)

    var line: Int {
      switch self {
      case .value(let node): node.line
      case .table(let table): table.line
      case .tableArray(_, let line, _): line
      }
    }
  }

  var origin: Origin
  var line: Int
  var column: Int
  private(set) var order: [String] = []
  private(set) var entries: [String: Entry] = [:]

  init(origin: Origin, line: Int, column: Int) {
    self.origin = origin
    self.line = line
    self.column = column
  }

  private(set) var keyPositions: [String: TOMLKeyPosition] = [:]

  /// A new key, remembering where it was written (for "unknown key" errors).
  func define(_ key: String, _ entry: Entry, line: Int, column: Int) {
    keyPositions[key] = TOMLKeyPosition(line: line, column: column)
    self[key] = entry
  }

  subscript(key: String) -> Entry? {
    get { entries[key] }
    set {
      if entries[key] == nil { order.append(key) }
      entries[key] = newValue
    }
  }

  func build() -> TOMLTable {
    var built: [String: TOMLNode] = [:]
    for key in order {
      switch entries[key] {
      case .value(let node):
        built[key] = node
      case .table(let table):
        built[key] = TOMLNode(value: .table(table.build()), line: table.line, column: table.column)
      case .tableArray(let tables, let line, let column):
        let nodes = tables.map {
          TOMLNode(value: .table($0.build()), line: $0.line, column: $0.column)
        }
        built[key] = TOMLNode(value: .array(nodes), line: line, column: column)
      case nil:
        break
      }
    }
    return TOMLTable(
      keys: order, entries: built, line: line, column: column, keyPositions: keyPositions)
  }
}
