import CCharterCurlShims
import CCurl
import Foundation

/// libcurl's process-wide initialisation, done once before the first handle (it is not
/// thread-safe, so it must not race with another thread's first `curl_easy_init`).
enum CurlLibrary {
  static let initialized: Bool = curl_global_init(Int(CURL_GLOBAL_ALL)) == CURLE_OK
}

/// The owner of one `CURL*` easy handle and of the lists and buffers its options point at.
/// Not Sendable: a transport creates, uses and drops it on its own dispatch queue, never on the
/// Swift concurrency pool (a transfer blocks its thread).
final class CurlEasy {
  private let handle: UnsafeMutableRawPointer
  private let errorBuffer: UnsafeMutablePointer<CChar>
  /// Lists whose pointers were given to libcurl: they must outlive the transfer.
  private var retainedLists: [CurlStringList] = []

  init() throws(DeliveryError) {
    guard CurlLibrary.initialized, let handle = curl_easy_init() else {
      throw .transport("libcurl could not be initialised")
    }
    self.handle = handle
    errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
    errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    try check(ccharter_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer), "ERRORBUFFER")
    // No signals from libcurl's resolver timeouts: we run on ordinary threads.
    try set(CURLOPT_NOSIGNAL, 1)
  }

  deinit {
    curl_easy_cleanup(handle)
    errorBuffer.deallocate()
  }

  func set(_ option: CURLoption, _ value: Int) throws(DeliveryError) {
    try check(ccharter_curl_setopt_long(handle, option, value), "option \(option.rawValue)")
  }

  /// libcurl copies string options, so the Swift string need not outlive the call.
  func set(_ option: CURLoption, _ value: String) throws(DeliveryError) {
    guard !value.utf8.contains(0) else { throw .invalidValue("a NUL byte in a transfer option") }
    let code = value.withCString { ccharter_curl_setopt_string(handle, option, $0) }
    try check(code, "option \(option.rawValue)")
  }

  func set(_ option: CURLoption, list: CurlStringList) throws(DeliveryError) {
    retainedLists.append(list)
    try check(
      ccharter_curl_setopt_pointer(handle, option, UnsafeMutableRawPointer(list.head)),
      "option \(option.rawValue)")
  }

  func setPointer(_ option: CURLoption, _ pointer: UnsafeMutableRawPointer?) throws(DeliveryError) {
    try check(ccharter_curl_setopt_pointer(handle, option, pointer), "option \(option.rawValue)")
  }

  func setReadFunction(_ callback: curl_read_callback) throws(DeliveryError) {
    try check(ccharter_curl_setopt_read_function(handle, callback), "READFUNCTION")
  }

  func setWriteFunction(_ callback: curl_write_callback) throws(DeliveryError) {
    try check(ccharter_curl_setopt_write_function(handle, callback), "WRITEFUNCTION")
  }

  /// Runs the transfer (blocking). Returns libcurl's code and its error text (empty on success).
  func perform() -> (code: CURLcode, message: String) {
    errorBuffer[0] = 0
    let code = curl_easy_perform(handle)
    var message = String(cString: errorBuffer)
    if message.isEmpty, code != CURLE_OK { message = String(cString: curl_easy_strerror(code)) }
    return (code, message)
  }

  /// The last SMTP or HTTP status code the server sent (0 when none arrived).
  var responseCode: Int {
    var value = 0
    _ = ccharter_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &value)
    return value
  }

  private func check(_ code: CURLcode, _ what: String) throws(DeliveryError) {
    guard code == CURLE_OK else {
      throw .transport("libcurl refused \(what): \(String(cString: curl_easy_strerror(code)))")
    }
  }
}

/// The owner of one `curl_slist`.
final class CurlStringList {
  private(set) var head: UnsafeMutablePointer<curl_slist>?

  init(_ items: [String]) throws(DeliveryError) {
    for item in items {
      guard !item.utf8.contains(0) else { throw .invalidValue("a NUL byte in a list option") }
      guard let appended = curl_slist_append(head, item) else {
        throw .transport("curl_slist_append failed")
      }
      head = appended
    }
  }

  deinit { curl_slist_free_all(head) }
}

/// Bytes handed to libcurl through its read callback (an SMTP message upload).
final class CurlUploadSource {
  private let bytes: [UInt8]
  private var offset = 0

  init(_ bytes: [UInt8]) { self.bytes = bytes }

  func read(into buffer: UnsafeMutablePointer<CChar>, capacity: Int) -> Int {
    let count = min(capacity, bytes.count - offset)
    guard count > 0 else { return 0 }
    bytes.withUnsafeBufferPointer { source in
      UnsafeMutableRawPointer(buffer).copyMemory(
        from: source.baseAddress! + offset, byteCount: count)
    }
    offset += count
    return count
  }

  static let callback: curl_read_callback = { buffer, size, count, userData in
    guard let buffer, let userData else { return 0 }
    let source = Unmanaged<CurlUploadSource>.fromOpaque(userData).takeUnretainedValue()
    return source.read(into: buffer, capacity: size * count)
  }
}

/// A response body collected through libcurl's write callback, up to a limit (the reply is
/// recorded in the attempts table, not kept whole).
final class CurlResponseSink {
  private(set) var bytes: [UInt8] = []
  let limit: Int

  init(limit: Int) { self.limit = limit }

  static let callback: curl_write_callback = { data, size, count, userData in
    let total = size * count
    guard let data, let userData else { return total }
    let sink = Unmanaged<CurlResponseSink>.fromOpaque(userData).takeUnretainedValue()
    let room = max(0, sink.limit - sink.bytes.count)
    if room > 0 {
      let raw = UnsafeRawBufferPointer(start: data, count: min(room, total))
      sink.bytes.append(contentsOf: raw)
    }
    return total
  }

  var text: String { String(decoding: bytes, as: UTF8.self) }
}
