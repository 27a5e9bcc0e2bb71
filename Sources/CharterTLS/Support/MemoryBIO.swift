internal import CCharterOpenSSLShims
internal import COpenSSL

/// A scratch memory BIO for OpenSSL functions that print (PEM writers, X509_NAME_print_ex).
/// Lives only within `withMemoryBIO`, so it is freed in one place.
enum MemoryBIO {
  /// Runs `body` with a fresh memory BIO and returns what it wrote; nil when `body` returns
  /// false or the BIO cannot be made.
  static func capture(_ body: (OpaquePointer) -> Bool) -> [UInt8]? {
    guard let bio = BIO_new(BIO_s_mem()) else { return nil }
    defer { BIO_free(bio) }
    guard body(bio) else { return nil }
    var data: UnsafeMutablePointer<CChar>? = nil
    let length = ccharter_bio_get_mem_data(bio, &data)
    guard length >= 0 else { return nil }
    guard let data, length > 0 else { return [] }
    return data.withMemoryRebound(to: UInt8.self, capacity: length) {
      Array(UnsafeBufferPointer(start: $0, count: length))
    }
  }

  /// Runs `body` with a read-only memory BIO over `bytes`.
  static func reading<T>(_ bytes: [UInt8], _ body: (OpaquePointer) -> T?) -> T? {
    bytes.withUnsafeBytes { buffer in
      guard let bio = BIO_new_mem_buf(buffer.baseAddress, Int32(buffer.count)) else { return nil }
      defer { BIO_free(bio) }
      return body(bio)
    }
  }
}
