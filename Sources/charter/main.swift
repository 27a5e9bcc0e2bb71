// The admin shell; the protocol client arrives with the admin server.
print("charter 0.1.0")
