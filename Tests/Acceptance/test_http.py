"""The running server seen by real HTTP clients: curl, and raw sockets for malformed input."""
import socket
import subprocess
import time
import urllib.parse

from conftest import BINARY, ROOT


def curl(*arguments):
    result = subprocess.run(["curl", "-s", "-i", "--max-time", "10", *arguments], capture_output=True, timeout=20)
    head, _, body = result.stdout.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    if not lines[0].startswith("HTTP/"):
        return 0, {}, ""
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers, body.decode("utf-8", "replace")


def raw_exchange(base_url, payload, timeout=5):
    parsed = urllib.parse.urlparse(base_url)
    with socket.create_connection((parsed.hostname, parsed.port), timeout=timeout) as connection:
        connection.sendall(payload)
        chunks = []
        while True:
            try:
                chunk = connection.recv(65536)
            except socket.timeout:
                return b"".join(chunks), False
            if not chunk:
                return b"".join(chunks), True
            chunks.append(chunk)


def test_patient_page_has_safe_headers(server):
    status, headers, body = curl(server.patient_link)
    assert status == 200
    assert "unsafe-inline" not in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["cache-control"] == "no-store"
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert '<html lang="da">' in body


def test_unknown_and_malformed_links_get_a_clear_404(server):
    status, _, body = curl(server.base_url + "/q/" + "A" * 43)
    assert status == 404 and "Linket virker ikke" in body
    status, _, _ = curl(server.base_url + "/q/%00")
    assert status in (400, 404)


def test_head_gets_headers_only(server):
    status, headers, body = curl("-I", server.patient_link)
    assert status == 200
    assert body == ""
    assert int(headers["content-length"]) > 0


def test_smuggling_attempt_gets_400_and_a_closed_connection(server):
    payload = (b"POST /q/x HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"
               b"0\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n")
    response, closed = raw_exchange(server.base_url, payload)
    assert response.startswith(b"HTTP/1.1 400")
    assert response.count(b"HTTP/1.1") == 1
    assert closed


def test_the_server_survives_garbage_and_keeps_serving(server):
    for payload in (b"\x00\x01\x02garbage\r\n\r\n", b"GET / HTTP/9.9\r\nHost: a\r\n\r\n",
                    b"GET /" + b"a" * 20000 + b" HTTP/1.1\r\nHost: a\r\n\r\n"):
        response, _ = raw_exchange(server.base_url, payload)
        assert response[:12] in (b"HTTP/1.1 400", b"HTTP/1.1 505", b"HTTP/1.1 414")
    status, _, _ = curl(server.base_url + "/healthz")
    assert status == 200


def test_static_files_revalidate_and_refuse_traversal(server):
    status, headers, _ = curl(server.base_url + "/static/app.css")
    assert status == 200 and headers["content-type"].startswith("text/css")
    status, _, _ = curl("-H", f"If-None-Match: {headers['etag']}", server.base_url + "/static/app.css")
    assert status == 304
    status, _, _ = curl("--path-as-is", server.base_url + "/static/../Package.swift")
    assert status in (400, 404)
    status, _, _ = curl("--path-as-is", server.base_url + "/static/%2e%2e/Package.swift")
    assert status == 400


def test_running_out_of_file_descriptors_does_not_stop_accepting(tmp_path):
    """With a limit of 64 open files, 100 clients make accept fail with EMFILE; the server
    backs off instead of ending its accept loop, and serves again once they are gone."""
    import signal

    process = subprocess.Popen(
        ["bash", "-c", f'ulimit -n 64 && exec "$0" serve --port 0 --data-dir {tmp_path / "data"}', str(BINARY)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        line = process.stdout.readline()
        assert line.startswith("Listening on "), line
        base_url = line.split("Listening on ", 1)[1].strip()
        parsed = urllib.parse.urlparse(base_url)
        clients = []
        for _ in range(100):
            clients.append(socket.create_connection((parsed.hostname, parsed.port), timeout=5))
        for client in clients:
            client.close()
        deadline = time.monotonic() + 10
        status = 0
        while time.monotonic() < deadline and status != 200:
            status, _, _ = curl(base_url + "/healthz")
            if status != 200:
                time.sleep(0.2)
        assert status == 200
        assert process.poll() is None
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0, "SIGINT drains and exits cleanly too"
    finally:
        if process.poll() is None:
            process.kill()
