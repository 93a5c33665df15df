"""A controllable SMTP relay for Muster's tests, on Debian's aiosmtpd.

Usage: python3 relay.py PORT CONTROL_JSON DELIVERIES_JSONL

CONTROL_JSON is read again for every command, so a test changes the
relay's behaviour while it runs:
  {"reject_sender": 550,            # reply code to MAIL FROM (0: accept)
   "defer": {"a@x.example": 451},   # reply code to RCPT TO for these
   "data_delay": 35,                # seconds before replying to the end of data
   "delay_for": {"a@x.example": 35},  # the same, for messages to these only
   "keep_raw": true}                 # also log each message, base64, as "raw"
Each accepted message is appended to DELIVERIES_JSONL as one JSON line
({"message_id", "to"}) *before* the 250 reply is sent: that line is the
relay taking responsibility (RFC 5321 section 6.1).
"""

import asyncio
import base64
import email
import json
import signal
import sys
import time

from aiosmtpd.controller import Controller


class Relay:
    def __init__(self, control, log):
        self.control = control
        self.log = log

    def settings(self):
        try:
            with open(self.control) as f:
                return json.load(f)
        except (OSError, ValueError):
            return {}

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        code = int(self.settings().get("reject_sender") or 0)
        if code:
            return "%d 5.7.1 sender address refused (test relay)" % code if code >= 500 else \
                "%d 4.7.1 sender address deferred (test relay)" % code
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        code = int(self.settings().get("defer", {}).get(address.lower(), 0))
        if code:
            return "%d 4.2.1 try again later (test relay)" % code if code < 500 else \
                "%d 5.1.1 no such user (test relay)" % code
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        settings = self.settings()
        delay = float(settings.get("data_delay") or 0)
        for rcpt in envelope.rcpt_tos:
            delay = max(delay, float(settings.get("delay_for", {}).get(rcpt.lower(), 0)))
        if delay:
            await asyncio.sleep(delay)
        msg = email.message_from_bytes(envelope.content)
        entry = {"message_id": (msg.get("Message-ID") or "").strip("<> "),
                 "to": envelope.rcpt_tos, "at": time.time()}
        if settings.get("keep_raw"):
            entry["raw"] = base64.b64encode(envelope.original_content or envelope.content).decode("ascii")
        line = json.dumps(entry)
        with open(self.log, "a") as f:
            f.write(line + "\n")
            f.flush()
        return "250 2.0.0 accepted (test relay)"


def main():
    port, control, log = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    # The default server timeout (5 min) outlasts any test; no AUTH, no TLS.
    controller = Controller(Relay(control, log), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    signal.sigwait([signal.SIGTERM, signal.SIGINT])
    controller.stop()


if __name__ == "__main__":
    main()
