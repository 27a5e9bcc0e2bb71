/// The version every binary reports; bumped with each release.
public enum CharterVersion {
  public static let string = "0.1.0"
}
