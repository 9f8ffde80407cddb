"""`zkinit health` against an AdminServer on an IPv6 listen address: the URL brackets the address
([::1]:PORT), as util/hostport writes it. The AdminServer is a stub on ::1; nothing listens on the
client port, so the 4lw check fails and the AdminServer is asked."""
import http.server
import json
import socket
import threading

import pytest

from conftest import base_env, run


def free_port_v6():
    s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    s.bind(("::1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class AdminStub:
    """ZooKeeper's AdminServer as the health check asks it: /commands/ruok and /commands/srvr."""

    def __init__(self):
        self.paths = []
        stub = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                stub.paths.append(self.path)
                body = json.dumps({"command": self.path.rsplit("/", 1)[-1], "error": None,
                                   "server_stats": {"server_state": "leader"}}).encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        class Server6(http.server.HTTPServer):
            address_family = socket.AF_INET6

        self.server = Server6(("::1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def admin6():
    try:
        s = AdminStub()
    except OSError as e:
        pytest.skip(f"no IPv6 loopback here: {e}")
    yield s
    s.close()


def test_health_asks_an_ipv6_adminserver_in_brackets(admin6, tmp_path):
    env = base_env(ZOO_CONF_DIR=str(tmp_path / "conf"), ZOO_CLIENT_ADDRESS="::1",
                   ZOO_CLIENT_PORT=str(free_port_v6()), ZOO_ADMINSERVER_PORT=str(admin6.port),
                   ZKINIT_HEALTH_TIMEOUT="2")
    r = run(["health"], env=env)
    assert r.returncode == 0, r.stderr
    assert "mode=leader via=admin" in r.stdout
    assert admin6.paths == ["/commands/ruok", "/commands/srvr"]


def test_health_never_goes_through_a_proxy(admin6, tmp_path):
    """A check of the local server asks it directly, whatever http_proxy says (nothing listens on
    the proxy's port, so a request through it would fail)."""
    env = base_env(ZOO_CONF_DIR=str(tmp_path / "conf"), ZOO_CLIENT_ADDRESS="::1",
                   ZOO_CLIENT_PORT=str(free_port_v6()), ZOO_ADMINSERVER_PORT=str(admin6.port),
                   ZKINIT_HEALTH_TIMEOUT="2", http_proxy="http://127.0.0.1:1",
                   HTTP_PROXY="http://127.0.0.1:1", ALL_PROXY="http://127.0.0.1:1")
    r = run(["health"], env=env)
    assert r.returncode == 0, r.stderr
    assert admin6.paths == ["/commands/ruok", "/commands/srvr"]
