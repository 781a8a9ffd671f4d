"""ByNeed behind nginx, configured by the shipped docs/nginx-byneed.conf: WHO-5 answered through
https with a self-signed certificate, HSTS on every response, plain HTTP redirected, and the
operations endpoints not reachable through the proxy.

Needs nginx (Debian: `apt-get install nginx-light`) and openssl; skipped with that reason
when either is missing. The site file is used as shipped, with only its ports, certificate
paths and IPv6 listeners replaced, inside a minimal main configuration that keeps every
nginx file in the test's own folder.
"""
import hashlib
import http.client
import os
import re
import shutil
import socket
import ssl
import subprocess
import time

import pytest

from conftest import ROOT, Server
from test_fault_kill9 import PAGE_BODY, token_of

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
OPENSSL = shutil.which("openssl")

pytestmark = pytest.mark.skipif(NGINX is None or OPENSSL is None,
                                reason="needs nginx and openssl (Debian: apt-get install nginx-light openssl)")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port, process, timeout=15):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return True
        except OSError:
            time.sleep(0.05)
    return False


def site_configuration(upstream_port, https_port, http_port, certificate, key):
    """docs/nginx-byneed.conf with the test's ports and certificate, and no IPv6 listeners."""
    text = (ROOT / "docs" / "nginx-byneed.conf").read_text()
    replacements = [
        ("server 127.0.0.1:8080;", f"server 127.0.0.1:{upstream_port};"),
        ("listen 443 ssl;", f"listen 127.0.0.1:{https_port} ssl;"),
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("/etc/ssl/byneed/byneed.crt", str(certificate)),
        ("/etc/ssl/byneed/byneed.key", str(key)),
    ]
    for old, new in replacements:
        assert old in text, f"docs/nginx-byneed.conf no longer contains {old!r}"
        text = text.replace(old, new)
    return "\n".join(line for line in text.splitlines() if "listen [::]" not in line) + "\n"


class Proxy:
    """nginx with the shipped site in front of a running byneed."""

    def __init__(self, folder, upstream_port):
        self.folder = folder
        folder.mkdir()
        self.certificate = folder / "byneed.crt"
        key = folder / "byneed.key"
        subprocess.run([OPENSSL, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                        "-keyout", str(key), "-out", str(self.certificate), "-subj", "/CN=localhost",
                        "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
                       check=True, capture_output=True, timeout=60)
        self.https_port, self.http_port = free_port(), free_port()
        (folder / "site.conf").write_text(
            site_configuration(upstream_port, self.https_port, self.http_port, self.certificate, key))
        temporary = "\n".join(f"    {kind}_temp_path {folder / kind};"
                              for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        user = "user root;\n" if os.geteuid() == 0 else ""
        (folder / "nginx.conf").write_text(f"""{user}daemon off;
worker_processes 1;
pid {folder / 'nginx.pid'};
error_log {folder / 'error.log'} warn;
events {{ worker_connections 64; }}
http {{
    access_log {folder / 'access.log'};
{temporary}
    include {folder / 'site.conf'};
}}
""")
        command = [NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf")]
        checked = subprocess.run(command + ["-t"], capture_output=True, text=True, timeout=30)
        assert checked.returncode == 0, checked.stderr
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        assert wait_for_port(self.https_port, self.process), self.log()

    def log(self):
        path = self.folder / "error.log"
        return path.read_text() if path.exists() else ""

    def https(self):
        context = ssl.create_default_context(cafile=str(self.certificate))
        return http.client.HTTPSConnection("localhost", self.https_port, context=context, timeout=20)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
        self.process.wait(timeout=30)


@pytest.fixture
def proxied(tmp_path):
    server = Server(tmp_path / "data", extra=("--trusted-proxy", "127.0.0.1"))
    proxy = None
    try:
        proxy = Proxy(tmp_path / "nginx", int(server.base_url.rsplit(":", 1)[1]))
        yield server, proxy
    finally:
        if proxy:
            proxy.stop()
        assert server.stop() == 0, "".join(server.output)


def exchange(proxy, method, path, body=None):
    connection = proxy.https()
    try:
        headers = {"Content-Type": "application/x-www-form-urlencoded"} if body is not None else {}
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, {name.lower(): value for name, value in response.getheaders()}, response.read().decode()
    finally:
        connection.close()


def test_who5_answered_through_nginx_with_tls_and_hsts_is_stored(proxied):
    server, proxy = proxied
    token = token_of(server.who5_link)
    status, headers, body = exchange(proxy, "GET", f"/q/{token}")
    assert status == 200, body
    assert headers["strict-transport-security"] == "max-age=63072000"
    assert "unsafe-inline" not in headers["content-security-policy"], "byneed's own headers pass through"
    assert "server" not in headers or "nginx/" not in headers["server"], "server_tokens off"

    status, headers, _ = exchange(proxy, "POST", f"/q/{token}", PAGE_BODY)
    assert status == 303 and headers["location"].startswith(f"/q/{token}?p=review")
    assert "strict-transport-security" in headers
    status, headers, _ = exchange(proxy, "POST", f"/q/{token}/submit", "lang=da")
    assert (status, headers["location"]) == (303, f"/q/{token}/receipt?lang=da")
    status, headers, body = exchange(proxy, "GET", headers["location"])
    assert status == 200 and "strict-transport-security" in headers
    assert "Tak" in body or "Thank" in body

    with server.database() as database:
        stored = database.execute("""
            SELECT count(*) FROM questionnaire_responses AS r JOIN invitations AS i ON i.id = r.invitation_id
            WHERE i.token_hash = ?""", (hashlib.sha256(token.encode()).digest(),)).fetchone()[0]
    assert stored == 1


def test_plain_http_is_redirected_and_operations_endpoints_are_not_proxied(proxied):
    server, proxy = proxied
    connection = http.client.HTTPConnection("127.0.0.1", proxy.http_port, timeout=10)
    connection.request("GET", "/q/abc", headers={"Host": "byneed.example.dk"})
    response = connection.getresponse()
    assert response.status == 301
    assert response.getheader("Location") == "https://byneed.example.dk/q/abc"
    connection.close()
    for path in ("/metrics", "/readyz", "/healthz"):
        status, _, body = exchange(proxy, "GET", path)
        assert status == 404 and "byneed_" not in body, path


def test_byneed_believes_forwarded_for_only_from_the_trusted_proxy(proxied):
    """byneed runs with --trusted-proxy 127.0.0.1: a local scraper (no X-Forwarded-For) sees the
    metrics, a request the proxy forwarded for a remote client does not."""
    server, _ = proxied
    host, port = server.base_url.rsplit("//", 1)[1].rsplit(":", 1)

    def metrics(headers):
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        connection.request("GET", "/metrics", headers=headers)
        response = connection.getresponse()
        body = response.read().decode()
        connection.close()
        return response.status, body

    status, body = metrics({})
    assert status == 200 and re.search(r"^# TYPE byneed_http_requests_total counter$", body, re.M)
    assert metrics({"X-Forwarded-For": "203.0.113.9"})[0] == 403
    assert metrics({"X-Forwarded-For": "127.0.0.1"})[0] == 200
