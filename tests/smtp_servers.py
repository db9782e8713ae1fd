"""Real mail servers on 127.0.0.1 that misbehave, for fault tests (no mock of the SMTP client).

``SMTPServer`` listens on a free port. While ``hanging`` it accepts every connection and never says a
word (like a mail server stuck behind a dead backend): a client waits for the greeting until its
timeout. ``answer()`` makes it a working server — held connections are closed, new ones get a
minimal SMTP dialogue and their messages are kept in ``messages``. Addresses in ``refuse`` are
refused at ``RCPT TO`` with a permanent 550. ``refused_port()`` is a port where nothing listens.
"""

import socket
import threading
from email import message_from_bytes, policy


def refused_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SMTPServer:
    def __init__(self, *, hanging=True, refuse=()):
        self.hanging = hanging
        self.refuse = {address.lower() for address in refuse}
        self.messages = []
        self.connections = 0
        self._held = []
        self._lock = threading.Lock()
        self._sock = socket.socket()
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(64)
        self.port = self._sock.getsockname()[1]
        self._running = True
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def answer(self):
        with self._lock:
            self.hanging = False
            held, self._held = self._held, []
        for connection in held:
            connection.close()

    def close(self):
        self._running = False
        self._sock.close()
        with self._lock:
            held, self._held = self._held, []
        for connection in held:
            connection.close()

    def mails(self):
        with self._lock:
            return [message_from_bytes(raw, policy=policy.default) for raw in self.messages]

    def _serve(self):
        while self._running:
            try:
                connection, _ = self._sock.accept()
            except OSError:
                return
            with self._lock:
                self.connections += 1
                if self.hanging:
                    self._held.append(connection)
                    continue
            threading.Thread(target=self._talk, args=(connection,), daemon=True).start()

    def _talk(self, connection):
        with connection, connection.makefile("rb") as reader:

            def say(line):
                connection.sendall(line.encode() + b"\r\n")

            say("220 localhost ESMTP test")
            recipients = []
            while True:
                line = reader.readline()
                if not line:
                    return
                command = line.decode(errors="replace").strip()
                verb = command.split(" ", 1)[0].upper()
                if verb in ("EHLO", "HELO"):
                    say("250 localhost")
                elif verb == "MAIL":
                    recipients = []
                    say("250 OK")
                elif verb == "RCPT":
                    address = command.split(":", 1)[1].strip().strip("<>").lower()
                    if address in self.refuse:
                        say("550 No such user")
                    else:
                        recipients.append(address)
                        say("250 OK")
                elif verb == "DATA":
                    say("354 End data with <CR><LF>.<CR><LF>")
                    lines = []
                    while True:
                        data = reader.readline()
                        if data in (b".\r\n", b".\n", b""):
                            break
                        lines.append(data[1:] if data.startswith(b"..") else data)
                    with self._lock:
                        self.messages.append(b"".join(lines))
                    say("250 OK queued")
                elif verb == "QUIT":
                    say("221 Bye")
                    return
                else:  # RSET, NOOP…
                    say("250 OK")
