"""Classroom mode without a browser: the class code check, the rate limit, the join address, the nginx config."""

import re
import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest

from app import classroom, join_address
from app.classroom import code_matches, wait_seconds
from app.join_address import join_url, lan_address, qr_text
from deploy.classroom import NGINX, TEMPLATE, render_nginx_conf

ROOT = Path(__file__).resolve().parents[1]


def test_code_check_accepts_only_the_exact_code():
    assert code_matches("xyz", "xyz")
    assert code_matches("  xyz ", "xyz")
    assert not code_matches("XYZ", "xyz")
    assert not code_matches("xy", "xyz")
    assert not code_matches("", "xyz")
    assert not code_matches("xyz" + "z" * 100, "xyz")


def test_rate_limit_blocks_the_sixth_guess_in_a_minute_then_lets_go():
    guesses = [100.0, 101.0, 102.0, 103.0]
    assert wait_seconds(guesses, 104.0) == 0.0  # 4 wrong guesses: a fifth is allowed
    guesses.append(104.0)
    assert wait_seconds(guesses, 105.0) == pytest.approx(55.0)  # until the first one is a minute old
    assert wait_seconds(guesses, 160.0) == 0.0
    assert wait_seconds([1.0] * 50, 62.0) == 0.0  # old guesses do not count


def _fake(outputs: dict):
    return lambda cmd: outputs.get(cmd[0], "")


def test_lan_address_uses_the_default_route_source():
    run = _fake({"ip": "1.0.0.0 via 192.168.1.1 dev wlan0 src 192.168.1.23 uid 1000\n    cache\n",
                 "hostname": "10.0.0.5 fd00::2\n"})
    assert lan_address(run) == "192.168.1.23"


def test_lan_address_falls_back_to_hostname_i_then_the_hostname(monkeypatch):
    assert lan_address(_fake({"ip": "", "hostname": "127.0.1.1 fd00::1 10.0.0.5\n"})) == "10.0.0.5"
    monkeypatch.setattr(join_address.socket, "gethostname", lambda: "teacher-laptop")
    assert lan_address(_fake({})) == "teacher-laptop"
    assert lan_address(_fake({"ip": "local 127.0.0.1 dev lo src 127.0.0.1"})) == "teacher-laptop"


def test_lan_address_on_this_machine_is_not_loopback():
    assert not lan_address().startswith("127.")


def test_join_url():
    assert join_url("192.168.1.23", 8080) == "http://192.168.1.23:8080/"
    assert join_url("fd00::2", 8080) == "http://[fd00::2]:8080/"
    assert join_url("laptop", 80) == "http://laptop/"


def test_qr_code_decodes_back_to_the_url():
    """The terminal QR code is segno's matrix: compare it module by module with segno's own PNG rendering."""
    import segno

    url = "http://192.168.1.23:8080/"
    rows = qr_text(url).splitlines()
    matrix = [list(r) for r in segno.make(url, error="m", micro=False).matrix_iter(scale=1, border=2)]
    assert len(rows) == (len(matrix) + 1) // 2
    for i, line in enumerate(rows):
        top = matrix[2 * i]
        bottom = matrix[2 * i + 1] if 2 * i + 1 < len(matrix) else [0] * len(top)
        for ch, t, b in zip(line, top, bottom, strict=True):
            assert ch == {(0, 0): "\u2588", (1, 0): "\u2584", (0, 1): "\u2580", (1, 1): " "}[(bool(t), bool(b))]
    svg = join_address.qr_svg(url)
    assert svg.startswith("<svg") and "http" not in svg  # drawn locally, nothing to fetch


def test_join_info_only_in_classroom_mode(monkeypatch):
    monkeypatch.delenv(join_address.JOIN_URL_ENV, raising=False)
    assert join_address.join_info() is None
    monkeypatch.setenv(join_address.JOIN_URL_ENV, "http://10.0.0.5:8080/")
    info = join_address.join_info()
    assert info.url == "http://10.0.0.5:8080/" and info.qr_svg.startswith("<svg")


def test_nginx_config_is_sticky_and_upgrades_websockets(tmp_path):
    conf = render_nginx_conf(["127.0.0.1:9001", "127.0.0.1:9002"], "0.0.0.0:8080", tmp_path, door_ports=[9101, 9102])
    assert "{{" not in conf
    assert not re.search(r"^\s*(ip_hash|hash)\b", conf, re.M)  # one NAT address would pin a whole class
    assert re.search(r'"1" convlab_1;\s+"2" convlab_2;\s+default convlab_next;', conf)
    assert conf.count("server 127.0.0.1:900") == 2
    assert re.search(r"upstream convlab_next \{\s+server 127.0.0.1:9101 max_fails=0;\s+server 127.0.0.1:9102", conf)
    assert "listen 127.0.0.1:9102;\n        location / {\n            proxy_pass http://convlab_2;" in conf
    assert 'add_header Set-Cookie "convlab_replica=2;' in conf
    assert "proxy_set_header Upgrade $http_upgrade;" in conf
    assert "listen 0.0.0.0:8080;" in conf
    assert f"pid {tmp_path}/nginx.pid;" in conf


@pytest.mark.skipif(not Path(NGINX).exists(), reason="nginx is not installed (`make test` installs it)")
def test_nginx_accepts_the_rendered_config(tmp_path):
    (tmp_path / "tmp").mkdir()
    conf = tmp_path / "nginx.conf"
    conf.write_text(render_nginx_conf(["127.0.0.1:9001"], "127.0.0.1:18080", tmp_path, TEMPLATE.read_text()))
    out = subprocess.run([NGINX, "-t", "-p", str(tmp_path), "-c", str(conf), "-e", str(tmp_path / "error.log")],
                         capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr


def _named_server(name: str):
    """A local HTTP server that answers every GET with its own name; (server, "127.0.0.1:port")."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the http.server API
            body = name.encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"127.0.0.1:{server.server_address[1]}"


@pytest.mark.skipif(not Path(NGINX).exists(), reason="nginx is not installed (`make test` installs it)")
def test_nginx_gives_new_browsers_replicas_in_turn_and_keeps_each_on_its_own(tmp_path):
    """Six new browsers split 3/3 over two replicas; each later request (with the cookie) stays on its replica, and
    a cookie naming no replica is replaced."""
    import urllib.request

    from deploy.classroom import free_port

    servers = [_named_server(n) for n in ("one", "two")]
    (tmp_path / "tmp").mkdir()
    port = free_port()
    conf = tmp_path / "nginx.conf"
    conf.write_text(render_nginx_conf([a for _, a in servers], f"127.0.0.1:{port}", tmp_path))
    nginx = subprocess.Popen([NGINX, "-p", str(tmp_path), "-c", str(conf), "-e", str(tmp_path / "error.log")],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def get(cookie: str | None = None):
        req = urllib.request.Request(f"http://127.0.0.1:{port}/x", headers={"Cookie": cookie} if cookie else {})
        with urllib.request.urlopen(req, timeout=5) as r:
            return r.read().decode(), r.headers.get("Set-Cookie"), r.headers.get("X-ConvLab-Upstream")

    try:
        for _ in range(100):
            try:
                get()
                break
            except OSError:
                time.sleep(0.05)
        first = [get() for _ in range(6)]
        assert sorted(body for body, _, _ in first) == ["one", "one", "one", "two", "two", "two"]
        for body, cookie, upstream in first:
            value = cookie.split(";")[0]
            assert value == f"convlab_replica={1 if body == 'one' else 2}"
            assert upstream == servers[0 if body == "one" else 1][1]
            again = [get(value) for _ in range(3)]
            assert again == [(body, None, upstream)] * 3  # sticky, and no new cookie
        body, cookie, _ = get("convlab_replica=7")
        assert cookie.startswith(f"convlab_replica={1 if body == 'one' else 2};")
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)
        for server, _ in servers:
            server.shutdown()


def test_compose_file_runs_replicas_behind_nginx():
    yaml = pytest.importorskip("yaml")
    compose = yaml.safe_load((ROOT / "deploy" / "compose.yaml").read_text())
    services = compose["services"]
    replicas = [name for name in services if name.startswith("replica")]
    assert len(replicas) >= 2
    lb = services["nginx"]
    assert set(replicas) <= set(lb["depends_on"])
    command = " ".join(lb["command"])
    for name in replicas:
        assert f"{name}:8501" in command
    assert (ROOT / "deploy" / "Dockerfile").is_file()
    if shutil.which("docker-compose"):
        out = subprocess.run(["docker-compose", "-f", str(ROOT / "deploy" / "compose.yaml"), "config", "-q"],
                             capture_output=True, text=True, check=False)
        assert out.returncode == 0, out.stderr


def _gated_app(monkeypatch, code="xyz"):
    from tests.conftest import app_at

    monkeypatch.setenv(classroom.CODE_ENV, code)
    monkeypatch.setenv(classroom.REPLICA_ENV, "2")
    return app_at().run()  # the process's first run has other widget ids (see app/main.py)


def _submit(at, text):
    next(t for t in at.text_input if t.label == "Class code").input(text)
    return at.run()


def test_gate_asks_for_the_code_before_any_page_runs(monkeypatch):
    at = _gated_app(monkeypatch)
    assert [t.value for t in at.title] == ["Join the class"]
    assert "Served by replica 2" in [c.value for c in at.sidebar.caption]
    _submit(at, "wrong")
    assert [e.value for e in at.error] == ["That is not the class code."]
    assert [t.value for t in at.title] == ["Join the class"]
    _submit(at, " xyz ")
    assert not at.exception and not at.error
    assert at.title[0].value.startswith("ConvLab")


def test_gate_rate_limits_wrong_guesses_even_when_the_next_one_is_right(monkeypatch):
    at = _gated_app(monkeypatch)
    for i in range(classroom.MAX_GUESSES):
        _submit(at, f"nope{i}")
    _submit(at, "xyz")
    assert at.error[0].value.startswith("Too many wrong codes")
    assert [t.value for t in at.title] == ["Join the class"]


def test_no_code_means_no_gate(monkeypatch):
    from tests.conftest import app_at

    monkeypatch.delenv(classroom.CODE_ENV, raising=False)
    monkeypatch.delenv(classroom.REPLICA_ENV, raising=False)
    at = app_at()
    assert at.title[0].value.startswith("ConvLab") and not at.sidebar.caption


def test_class_token_is_an_hmac_of_the_code_keyed_by_the_class_secret():
    import hashlib
    import hmac

    expected = hmac.new(b"convlab-class:s3", b"xyz", hashlib.sha256).hexdigest()
    assert classroom.class_token(" xyz ", "s3") == expected
    assert "xyz" not in expected
    assert classroom.token_matches(expected, "xyz", "s3")
    assert not classroom.token_matches(expected, "xyz", "new-class-start")  # a restarted class forgets old cookies
    assert not classroom.token_matches(classroom.class_token("xyz", "s3"), "abc", "s3")
    for forged in (None, "", "xyz", "é" * 64, expected[:-1], expected + "0"):
        assert not classroom.token_matches(forged, "xyz", "s3")


def test_cookie_writer_refuses_anything_but_a_plain_token():
    from components.browser_cookie import set_session_cookie

    for name, value in (("a;b", "x"), ("a", "x; path=/evil"), ("a", ""), ("a", "<script>")):
        with pytest.raises(ValueError):
            set_session_cookie(name, value)
