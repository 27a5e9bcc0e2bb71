public import CharterPostgres
import Foundation

/// The engine's state values as jsonb (`state` columns of SQL/0006_governance.sql). Keys are
/// sorted and dates are the engine's own `CivilDate` strings, so equal states give equal text
/// and a tenant export round-trips byte for byte.
public enum EngineState {
  public static func encode<Value: Encodable>(_ value: Value) throws -> PostgresJSON {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .iso8601
    return PostgresJSON(String(decoding: try encoder.encode(value), as: UTF8.self))
  }

  /// Decodes a stored state; a state that no longer decodes names the row it came from.
  public static func decode<Value: Decodable>(
    _ type: Value.Type, from json: PostgresJSON, row: String
  ) throws -> Value {
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .iso8601
    do {
      return try decoder.decode(type, from: Data(json.text.utf8))
    } catch {
      throw WorkflowError.corrupt("\(row): \(error)")
    }
  }
}
