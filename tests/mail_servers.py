"""Mail servers on loopback for the e-mail tests: a real SMTP server (aiosmtpd) that can
be stopped and started again, and one that accepts connections but never answers."""

import socket
import threading
import time
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

# The ports these tests may take (a shared machine: each engineer has a range).
PORTS = range(20000, 21000)


def loopback_port():
    """A free TCP port on 127.0.0.1 within PORTS."""
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {PORTS}")


class Inbox:
    """aiosmtpd's handler: keeps every message it accepts."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        self.messages.append((envelope.mail_from, sorted(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


class SMTPServer:
    """``start()`` / ``stop()`` an SMTP server on one port; ``inbox.messages`` keeps what it
    received over all its runs. With ``login=(user, password)`` it wants that AUTH."""

    def __init__(self, login=None):
        self.port = loopback_port()
        self.inbox = Inbox()
        self.login = login
        self.controller = None

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        given = (auth_data.login.decode(), auth_data.password.decode())
        return AuthResult(success=given == self.login)

    def start(self):
        options = {}
        if self.login:
            options = {"authenticator": self.authenticate, "auth_require_tls": False}
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port, **options)
        self.controller.start()

    def stop(self):
        if self.controller:
            self.controller.stop()
            self.controller = None


class SilentServer:
    """Accepts connections and says nothing (a hung mail server), for ``hold`` seconds."""

    def __init__(self, hold):
        self.port = loopback_port()
        self.hold = hold
        self.listener = socket.create_server(("127.0.0.1", self.port))
        self.connections = []
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:  # closed
                return
            self.connections.append(connection)
            threading.Timer(self.hold, connection.close).start()

    def close(self):
        self.listener.close()
        for connection in self.connections:
            connection.close()


def wait_for(condition, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()
