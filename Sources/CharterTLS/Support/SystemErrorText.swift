#if canImport(Glibc)
  import Glibc
#endif

enum SystemErrorText {
  static func describe(_ code: Int32) -> String {
    guard let text = strerror(code) else { return "" }
    return String(cString: text)
  }
}
