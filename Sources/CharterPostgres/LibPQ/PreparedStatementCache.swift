/// The statements one connection has prepared on the server, by SQL text and parameter types,
/// bounded: the least recently used is dropped first. Not thread-safe: it belongs to one
/// `LibPQConnection` and is used on that connection's queue only. The server forgets
/// prepared statements with the session, so a new connection starts with a new cache.
struct PreparedStatementCache {
  /// The same text with other parameter types is another statement: the types are fixed when
  /// it is prepared, and binary values bound later must match them.
  struct Key: Hashable {
    var sql: String
    var types: [UInt32]
  }

  private struct Entry {
    var name: String
    var lastUse: UInt64
  }

  let capacity: Int
  private var entries: [Key: Entry] = [:]
  private var clock: UInt64 = 0
  private var counter = 0
  /// Names dropped from the cache but perhaps still prepared on the server, to DEALLOCATE
  /// when the connection can run a statement.
  private(set) var namesToDeallocate: [String] = []

  init(capacity: Int) {
    self.capacity = max(0, capacity)
  }

  var isEnabled: Bool { capacity > 0 }
  var count: Int { entries.count }

  /// The server-side name of `key`'s statement, marked as just used.
  mutating func name(for key: Key) -> String? {
    guard var entry = entries[key] else { return nil }
    clock += 1
    entry.lastUse = clock
    entries[key] = entry
    return entry.name
  }

  /// A fresh name for `key`, never used before on this connection (so a statement the server
  /// may still hold under an old name can never be confused with it).
  mutating func makeName() -> String {
    counter += 1
    return "charter_statement_\(counter)"
  }

  /// Makes room for one more: when full, drops the least recently used entry, whose name
  /// joins `namesToDeallocate`. Called before preparing, so that the server never holds more
  /// than `capacity` of ours once those are deallocated.
  mutating func evictIfFull() {
    guard entries.count >= capacity,
      let oldest = entries.min(by: { $0.value.lastUse < $1.value.lastUse })
    else { return }
    entries[oldest.key] = nil
    namesToDeallocate.append(oldest.value.name)
  }

  mutating func insert(_ key: Key, name: String) {
    evictIfFull()
    clock += 1
    entries[key] = Entry(name: name, lastUse: clock)
  }

  /// Drops `key`, whose statement may still exist on the server (a plan that can no longer
  /// be used as prepared).
  mutating func remove(_ key: Key) {
    if let entry = entries.removeValue(forKey: key) {
      namesToDeallocate.append(entry.name)
    }
  }

  /// Forgets everything, for when the server no longer knows our statements (DEALLOCATE ALL,
  /// DISCARD ALL): their names need no DEALLOCATE.
  mutating func removeAll() {
    entries.removeAll()
    namesToDeallocate.removeAll()
  }

  mutating func deallocated(_ name: String) {
    namesToDeallocate.removeAll { $0 == name }
  }
}
