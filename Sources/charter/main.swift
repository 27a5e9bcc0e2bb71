// The admin shell; the interactive and script modes arrive with CharterShell.
print("charter 0.1.0")
