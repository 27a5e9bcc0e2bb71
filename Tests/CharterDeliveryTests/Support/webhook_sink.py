"""A local HTTP server receiving webhooks for the delivery tests.

Usage: webhook_sink.py PORT FOLDER

Saves each POST as NAME.json: path (with query), headers, body (text). Answers with the status
in FOLDER/STATUS if that file exists (default 200) and the body {"errcode":0,"errmsg":"ok"}.
Writes FOLDER/READY once it listens; runs until killed.
"""
import http.server
import json
import os
import sys
import uuid

FOLDER = sys.argv[2]


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        record = {
            "path": self.path,
            "headers": {k.lower(): v for k, v in self.headers.items()},
            "body": body.decode("utf-8"),
        }
        name = uuid.uuid4().hex
        temporary = os.path.join(FOLDER, name + ".tmp")
        with open(temporary, "w", encoding="utf-8") as f:
            json.dump(record, f, ensure_ascii=False)
        os.rename(temporary, os.path.join(FOLDER, name + ".json"))
        status = 200
        status_file = os.path.join(FOLDER, "STATUS")
        if os.path.exists(status_file):
            status = int(open(status_file).read().strip())
        reply = b'{"errcode":0,"errmsg":"ok"}'
        self.send_response(status)
        if 300 <= status < 400:
            # A redirect to ourselves: a sender that followed it would be recorded twice.
            self.send_header("Location", "http://127.0.0.1:%s/redirected" % sys.argv[1])
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, *args):
        pass


def main():
    server = http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
    open(os.path.join(FOLDER, "READY"), "w").close()
    server.serve_forever()


if __name__ == "__main__":
    main()
