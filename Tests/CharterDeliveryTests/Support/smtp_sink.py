"""A real SMTP server for the delivery tests (aiosmtpd).

Usage: smtp_sink.py PORT FOLDER [--reject] [--tls CERT KEY] [--login USER PASSWORD]

Saves each message as NAME.eml and a summary NAME.json parsed with Python's own email package
(subject decoded, bodies, Message-ID, header names, the .ics attachment checked), so the tests
check our MIME with an independent parser. With --reject every message gets 554 at the final dot.
With --tls the server requires STARTTLS; with --login it requires AUTH with that user and password.
Writes FOLDER/READY once it listens; runs until killed.
"""
import asyncio
import email
import email.policy
import json
import os
import sys
import uuid

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


def summarise(data, envelope):
    message = email.message_from_bytes(data, policy=email.policy.default)
    text = html = calendar = None
    calendar_type = None
    for part in message.walk():
        ctype = part.get_content_type()
        if ctype == "text/plain" and text is None:
            text = part.get_content()
        elif ctype == "text/html" and html is None:
            html = part.get_content()
        elif ctype == "text/calendar":
            calendar = part.get_payload(decode=True).decode("utf-8")
            calendar_type = "%s; method=%s" % (ctype, part.get_param("method"))
    lines = data.split(b"\r\n")
    calendar_lines = []
    if calendar is not None:
        raw_lines = calendar.split("\r\n")
        longest = max(len(line.encode("utf-8")) for line in raw_lines)
        # Unfold (RFC 5545 3.1) and check the structure.
        unfolded = calendar.replace("\r\n ", "")
        calendar_lines = [line for line in unfolded.split("\r\n") if line]
    else:
        longest = 0
    return {
        "mail_from": envelope.mail_from,
        "rcpt_tos": envelope.rcpt_tos,
        "subject": str(message["Subject"]),
        "from": str(message["From"]),
        "message_id": str(message["Message-ID"]),
        "header_names": [name for name in message.keys()],
        "text": text,
        "html": html,
        "calendar_type": calendar_type,
        "calendar_lines": calendar_lines,
        "calendar_longest_line_octets": longest,
        "bare_lf": any(b"\n" in line for line in lines),
        "defects": [str(d) for d in message.defects],
    }


class Handler:
    def __init__(self, folder, reject):
        self.folder = folder
        self.reject = reject

    async def handle_DATA(self, server, session, envelope):
        if self.reject:
            return "554 5.7.1 Message rejected by the test sink"
        name = uuid.uuid4().hex
        data = envelope.original_content or envelope.content
        with open(os.path.join(self.folder, name + ".eml"), "wb") as f:
            f.write(data)
        summary = summarise(data, envelope)
        summary["tls"] = session.ssl is not None
        summary["authenticated"] = bool(session.authenticated)
        temporary = os.path.join(self.folder, name + ".tmp")
        with open(temporary, "w", encoding="utf-8") as f:
            json.dump(summary, f, ensure_ascii=False)
        os.rename(temporary, os.path.join(self.folder, name + ".json"))
        return "250 2.0.0 Message accepted for delivery"


def main():
    port = int(sys.argv[1])
    folder = sys.argv[2]
    options = sys.argv[3:]
    reject = "--reject" in options
    settings = {}
    if "--tls" in options:
        import ssl
        at = options.index("--tls")
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(options[at + 1], options[at + 2])
        settings.update(tls_context=context, require_starttls=True)
    if "--login" in options:
        at = options.index("--login")
        user, password = options[at + 1].encode(), options[at + 2].encode()

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = getattr(auth_data, "login", None) == user and auth_data.password == password
            return AuthResult(success=ok)

        settings.update(authenticator=authenticator, auth_required=True)
    controller = Controller(
        Handler(folder, reject), hostname="127.0.0.1", port=port, **settings)
    controller.start()
    open(os.path.join(folder, "READY"), "w").close()
    try:
        asyncio.new_event_loop().run_forever()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
