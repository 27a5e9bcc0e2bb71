extension CharterProfile {
  /// Parses and validates a profile. `file` names the source in errors ("charters/aii.toml").
  public static func load(text: String, file: String) throws(ProfileError) -> CharterProfile {
    throw ProfileError(
      file: file, line: 0, key: nil, message: "profile loading is not implemented yet")
  }
}
