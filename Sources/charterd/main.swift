import CharterDaemon

print("charterd \(CharterVersion.string)")
