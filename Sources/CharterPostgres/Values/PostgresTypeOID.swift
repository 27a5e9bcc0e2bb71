/// The built-in type OIDs this module encodes and decodes (pg_type.dat; fixed across versions).
enum PostgresTypeOID {
  static let unspecified: UInt32 = 0
  static let bool: UInt32 = 16
  static let bytea: UInt32 = 17
  static let char: UInt32 = 18
  static let name: UInt32 = 19
  static let int8: UInt32 = 20
  static let int2: UInt32 = 21
  static let int4: UInt32 = 23
  static let text: UInt32 = 25
  static let oid: UInt32 = 26
  static let json: UInt32 = 114
  static let float4: UInt32 = 700
  static let float8: UInt32 = 701
  static let unknown: UInt32 = 705
  static let bpchar: UInt32 = 1042
  static let varchar: UInt32 = 1043
  static let date: UInt32 = 1082
  static let timestamp: UInt32 = 1114
  static let timestamptz: UInt32 = 1184
  static let numeric: UInt32 = 1700
  static let uuid: UInt32 = 2950
  static let jsonb: UInt32 = 3802
  static let int8Array: UInt32 = 1016
  static let textArray: UInt32 = 1009
  static let varcharArray: UInt32 = 1015
  static let uuidArray: UInt32 = 2951
  /// OIDs from here on belong to user-defined types (enums, citext, ...), whose binary
  /// form we can only treat as text.
  static let firstUserDefined: UInt32 = 16384

  static func name(of oid: UInt32) -> String {
    switch oid {
    case bool: "boolean"
    case bytea: "bytea"
    case char: "\"char\""
    case name: "name"
    case int8: "bigint"
    case int2: "smallint"
    case int4: "integer"
    case text: "text"
    case oid: "oid"
    case json: "json"
    case float4: "real"
    case float8: "double precision"
    case unknown: "unknown"
    case bpchar: "character"
    case varchar: "character varying"
    case date: "date"
    case timestamp: "timestamp without time zone"
    case timestamptz: "timestamp with time zone"
    case numeric: "numeric"
    case uuid: "uuid"
    case jsonb: "jsonb"
    case int8Array: "bigint[]"
    case textArray: "text[]"
    case varcharArray: "character varying[]"
    case uuidArray: "uuid[]"
    default: "type \(oid)"
    }
  }
}
