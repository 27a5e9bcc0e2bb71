import CharterProtocol

/// Bytes of a string, as the client would send them.
func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
