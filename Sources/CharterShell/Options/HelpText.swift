/// `charter --help` and `--version`.
public enum HelpText {
  public static let version = "charter 0.1.0"

  public static let usage = """
    charter: the Charter admin shell. Talks to charterd over TLS (docs/shell.md).

    Usage:
      charter [OPTIONS] [HOST[:PORT]]          interactive (line editing, history, completion)
      charter [OPTIONS] [HOST[:PORT]] -c CMD   run commands and exit (-c may repeat)
      charter [OPTIONS] [HOST[:PORT]] -f FILE  run the commands in FILE, one per line (- = stdin)
      COMMANDS | charter [OPTIONS] [HOST[:PORT]]

    HOST[:PORT] defaults to 127.0.0.1:7433; an IPv6 address goes in brackets: [::1]:7433.

    Trusting the server (one of; default: trust on first use):
      --known-hosts FILE       the trust-on-first-use file (default
                               $XDG_CONFIG_HOME/charter/known_hosts or ~/.config/charter/known_hosts).
                               A new server's fingerprint is recorded there; a server whose
                               fingerprint changed is refused.
      --fingerprint FP         trust exactly the certificate with this SHA-256 fingerprint
                               (AB:CD:... or abcd...)
      --fingerprint-file FILE  the same, read from FILE: charterd writes its self-signed
                               certificate's fingerprint to <data dir>/tls/fingerprint.sha256
      --ca-file FILE           verify the certificate chain and host name against these CAs
      --insecure               do not verify the server at all (tests only: anyone in the
                               middle can read your password)

    Logging in:
      -u, --user NAME          send LOGIN NAME after connecting (the name as the server knows it)
      --password-file FILE     the password is the first line of FILE
                               (else $CHARTER_PASSWORD, else a prompt on the terminal)
      --cert FILE --key FILE   present this client certificate (PEM) to the server

    Scripts:
      -c, --command CMD        run CMD (repeatable; in order)
      -f, --file FILE          run the commands in FILE; lines starting with # are comments
      --json                   print replies as JSON lines (the protocol's MODE JSON)
      --stop-on-error          stop at the first command that fails
      --timeout SECONDS        limit for connecting and for each reply (default 30)

    Other:
      --no-history             do not read or write the history file
      -h, --help               this text
      -V, --version            the version

    In the interactive shell, Tab completes command words, options and tenant names,
    Up/Down recall history (lines that hold a password are never saved), Ctrl-C clears the
    line and Ctrl-D leaves. LOGIN NAME without a password asks for it without echo. HELP
    lists the server's commands.

    Exit status: 0 every command succeeded; 1 a command failed; 2 the command line is
    wrong; 3 connection, TLS, server verification or login failed, or the server closed
    the connection.
    """
}
