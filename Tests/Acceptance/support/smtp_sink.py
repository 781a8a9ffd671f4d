"""A real SMTP server (aiosmtpd) for the Swift Delivery tests.

Listens on 127.0.0.1 at a free port and prints `READY <port>` once it accepts connections.
Every message it accepts is written to DIRECTORY as `<n>.eml` (the bytes received after
DATA, dot-stuffing removed) and `<n>.json` (what Python's email parser makes of them: the
decoded subject, addresses and bodies, and any defects it found), both before the 250 reply.

Recipients whose local part starts with `tempfail` get a multi-line 451 reply, those starting
with `reject` a multi-line 550. With --no-ehlo, EHLO is refused with 502 so clients must
fall back to HELO. The sink stops on SIGTERM or when its standard input is closed, so it
does not outlive the test process that started it.
"""

import argparse
import asyncio
import email
import email.policy
import json
import os
import signal
import sys

from aiosmtpd.smtp import SMTP


class Sink:
    def __init__(self, directory, refuse_ehlo):
        self.directory = directory
        self.refuse_ehlo = refuse_ehlo
        self.count = 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        if self.refuse_ehlo:
            return ["502 5.5.1 EHLO not implemented (sink)"]
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local_part = address.split("@")[0]
        if local_part.startswith("tempfail"):
            return "451-4.3.0 Mailbox busy (sink)\r\n451 4.3.0 Try again later"
        if local_part.startswith("reject"):
            return "550-5.1.1 No such user (sink)\r\n550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        base = os.path.join(self.directory, str(self.count))
        raw = envelope.original_content
        with open(base + ".eml", "wb") as file:
            file.write(raw)
        summary = describe(raw)
        summary["mailFrom"] = envelope.mail_from
        summary["rcptTos"] = envelope.rcpt_tos
        summary["heloName"] = session.host_name
        with open(base + ".json.tmp", "w", encoding="utf-8") as file:
            json.dump(summary, file, ensure_ascii=False)
        os.replace(base + ".json.tmp", base + ".json")
        return f"250 2.0.0 Ok: queued as sink-{self.count}"


def describe(raw):
    message = email.message_from_bytes(raw, policy=email.policy.default)
    sender = message["from"].addresses[0]
    recipient = message["to"].addresses[0]
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    return {
        "subject": str(message["subject"]),
        "fromDisplayName": sender.display_name,
        "fromAddress": sender.addr_spec,
        "toDisplayName": recipient.display_name,
        "toAddress": recipient.addr_spec,
        "messageID": str(message["message-id"]),
        "date": str(message["date"]),
        "contentType": message.get_content_type(),
        "text": text.get_content() if text is not None else None,
        "html": html.get_content() if html is not None else None,
        "defects": [repr(defect) for part in message.walk() for defect in part.defects],
    }


async def serve(directory, refuse_ehlo):
    loop = asyncio.get_running_loop()
    handler = Sink(directory, refuse_ehlo)
    server = await loop.create_server(lambda: SMTP(handler, hostname="sink.test"), "127.0.0.1", 0)
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_reader(sys.stdin.fileno(), lambda: stop.set() if not os.read(sys.stdin.fileno(), 1024) else None)
    print(f"READY {server.sockets[0].getsockname()[1]}", flush=True)
    await stop.wait()
    server.close()


def main():
    # A child inherits its parent's signal mask, and the threads of a Swift test process
    # block SIGTERM; unblock it so that terminating the sink works.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", help="where received messages are written")
    parser.add_argument("--no-ehlo", action="store_true", help="refuse EHLO with 502")
    arguments = parser.parse_args()
    asyncio.run(serve(arguments.directory, arguments.no_ehlo))


if __name__ == "__main__":
    main()
