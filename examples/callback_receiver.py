"""A minimal status-callback receiver for labs to copy, in Python (docs/labs.md, "Receive status callbacks").

Callbacks are Standard Webhooks, so it verifies them with the reference library, `standardwebhooks` from PyPI,
and Python's standard library for the rest:

    CALLBACK_SECRET=whsec_old...,whsec_new... PORT=4000 python3 examples/callback_receiver.py

It verifies the signature and timestamp, answers 204 for new and repeated events alike (delivery is at least
once) and 401 when the signature does not verify, and prints one line per new event.
"""

import os
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

from standardwebhooks import Webhook, WebhookVerificationError

MAX_BODY_BYTES = 1024 * 1024
HEADERS = ("webhook-id", "webhook-timestamp", "webhook-signature")


def verified_event(secrets, body, headers):
    """The event, when any active secret signed it (two during a rotation); None otherwise.

    The library checks the signature over the raw body as received and refuses a timestamp more than five
    minutes from this machine's clock.
    """
    for secret in secrets:
        try:
            return Webhook(secret).verify(body, headers)
        except WebhookVerificationError:
            continue
    return None


def receiver(secrets, on_event):
    """A request handler that calls on_event once per event id. Raising from on_event answers 500, so the
    event is delivered again."""
    # In memory for the example only: a real receiver stores seen ids durably, in the same transaction as the
    # event. HTTPServer handles one request at a time, so the set needs no lock.
    seen = set()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY_BYTES:
                self.send_response(413)
                self.end_headers()
                return
            body = self.rfile.read(length)
            headers = {name: self.headers.get(name, "") for name in HEADERS}
            event = verified_event(secrets, body, headers)
            if event is None:
                self.send_response(401)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                self.wfile.write(b"signature not verified")
                return
            # De-duplicate on the event id (the signed webhook-id, and the id inside the signed body).
            if event["id"] not in seen:
                try:
                    on_event(event)
                except Exception:
                    self.send_response(500)
                    self.end_headers()
                    return
                seen.add(event["id"])
            self.send_response(204)
            self.end_headers()

        def log_message(self, format, *args):
            pass

    return Handler


def main():
    secrets = [s.strip() for s in os.environ.get("CALLBACK_SECRET", "").split(",") if s.strip()]
    if not secrets:
        print("CALLBACK_SECRET is required (comma-separated while rotating)", file=sys.stderr)
        sys.exit(1)
    port = int(os.environ.get("PORT", "4000"))

    def show(e):
        print(f"{e['occurredAt']} {e['submissionId']} #{e['sequence']} {e['type']} {e['id']}", flush=True)

    server = HTTPServer(("", port), receiver(secrets, show))
    print(f"callback receiver listening on port {port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
