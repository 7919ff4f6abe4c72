"""`python -m deploy.classroom`: serve ConvLab to a class on the local network (what `make classroom` runs).

Starts N `streamlit run app/main.py` replicas on 127.0.0.1 ports and one nginx in front of them (sticky
sessions by a cookie nginx sets, WebSocket upgrade), prints the join address and a QR code, and stops
everything on Ctrl+C. With `--upstreams` it runs only nginx in front of replicas started elsewhere (Docker).
"""

import argparse
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from app.classroom import CODE_ENV, REPLICA_ENV, SECRET_ENV
from app.join_address import JOIN_URL_ENV, join_url, lan_address, qr_text
from app.preload import PRELOAD_ENV

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = Path(__file__).with_name("nginx.conf.template")
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


@dataclass
class Cluster:
    url: str  # nginx, as reached from this machine
    replica_urls: list[str]
    procs: list[subprocess.Popen] = field(default_factory=list)  # replicas first, nginx last
    run_dir: Path | None = None


COOKIE = "Path=/; Max-Age=43200; HttpOnly; SameSite=Lax"  # a school day


def render_nginx_conf(upstreams: list[str], listen: str, run_dir: Path, template: str | None = None,
                      door_ports: list[int] | None = None) -> str:
    """The nginx config for `upstreams` ("host:port" each, replica i+1 at index i), listening on `listen`
    ("0.0.0.0:8080"). Replica i gets an upstream `convlab_i` and a door: a server on 127.0.0.1 (port
    door_ports[i-1], free ones by default) that answers a new browser's first request from replica i and sets
    the cookie convlab_replica=i. Loopback ports, not unix sockets: nginx's worker may run as another user that
    cannot enter run_dir."""
    text = template if template is not None else TEMPLATE.read_text()
    numbered = list(enumerate(upstreams, 1))
    doors = door_ports or [free_port() for _ in upstreams]
    routes = "\n".join(f'        "{i}" convlab_{i};' for i, _ in numbered)
    next_door = "\n".join(f"        server 127.0.0.1:{doors[i - 1]} max_fails=0;" for i, _ in numbered)
    replicas = "\n".join(f"    upstream convlab_{i} {{\n        server {u} max_fails=0;\n        keepalive 16;\n    }}"
                          for i, u in numbered)
    door_servers = "\n".join(
        f"    server {{  # door {i}: a browser's first request, answered by replica {i}, which it keeps\n"
        f"        listen 127.0.0.1:{doors[i - 1]};\n"
        f"        location / {{\n"
        f"            proxy_pass http://convlab_{i};\n"
        f'            add_header Set-Cookie "convlab_replica={i}; {COOKIE}" always;\n'
        f"            add_header X-ConvLab-Upstream $upstream_addr always;\n"
        f"        }}\n"
        f"    }}" for i, _ in numbered)
    return (text.replace("{{ROUTES}}", routes).replace("{{DOORS}}", next_door).replace("{{REPLICAS}}", replicas)
            .replace("{{DOOR_SERVERS}}", door_servers).replace("{{LISTEN}}", listen).replace("{{RUN_DIR}}", str(run_dir)))


def free_port(host: str = "127.0.0.1") -> int:
    import socket

    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def wait_healthy(url: str, timeout: float = 120.0, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{url}: process exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"{url} did not become healthy within {timeout:.0f} s")


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            pass


@contextmanager
def _process(cmd: list[str], log: Path, env: dict | None = None):
    with open(log, "w") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        yield proc
    finally:
        _stop(proc)


def replica_cmd(port: int, address: str = "127.0.0.1") -> list[str]:
    return [sys.executable, "-m", "app.serve", "app/main.py", "--server.headless", "true",
            "--server.address", address, "--server.port", str(port), "--browser.gatherUsageStats", "false"]


def make_run_dir(run_dir: Path | None, port: int) -> Path:
    run_dir = Path(run_dir or f"/tmp/convlab-classroom-{port}")
    (run_dir / "tmp").mkdir(parents=True, exist_ok=True)
    # nginx's worker may run as an unprivileged user when started by root: it must reach its temp dirs.
    run_dir.chmod(0o755)
    (run_dir / "tmp").chmod(0o755)
    return run_dir


@contextmanager
def cluster(replicas: int = 2, port: int | None = None, bind: str = "127.0.0.1", code: str = "",
            join: str | None = None, run_dir: Path | None = None, upstreams: list[str] | None = None,
            extra_env: dict | None = None, timeout: float = 180.0):
    """Yield a running Cluster: `replicas` Streamlit processes (or the given `upstreams`) behind nginx."""
    port = port or free_port()
    run_dir = make_run_dir(run_dir, port)
    join = join or join_url(lan_address() if bind in ("0.0.0.0", "::") else bind, port)
    local = f"http://127.0.0.1:{port}" if bind in ("0.0.0.0", "::", "127.0.0.1") else f"http://{bind}:{port}"
    with ExitStack() as stack:
        procs, replica_urls = [], []
        secret = os.environ.get(SECRET_ENV) or secrets.token_hex(16)  # shared by the replicas, new per start
        if upstreams is None:
            upstreams = []
            for i in range(1, replicas + 1):
                rport = free_port()
                # One pool worker per replica: N replicas already fill the N cores.
                env = {"CONVLAB_WORKERS": "1", PRELOAD_ENV: "1", **os.environ, "PYTHONUNBUFFERED": "1", REPLICA_ENV: str(i), JOIN_URL_ENV: join,
                       CODE_ENV: code, SECRET_ENV: secret, **(extra_env or {})}
                procs.append(stack.enter_context(_process(replica_cmd(rport), run_dir / f"replica-{i}.log", env)))
                upstreams.append(f"127.0.0.1:{rport}")
                replica_urls.append(f"http://127.0.0.1:{rport}")
            for url, proc in zip(replica_urls, procs, strict=True):
                wait_healthy(url, timeout, proc)
        conf = run_dir / "nginx.conf"
        conf.write_text(render_nginx_conf(upstreams, f"{bind}:{port}" if ":" not in bind else f"[{bind}]:{port}",
                                          run_dir))
        nginx = [NGINX, "-p", str(run_dir), "-c", str(conf), "-e", str(run_dir / "error.log")]
        check = subprocess.run([*nginx, "-t"], capture_output=True, text=True, check=False)
        if check.returncode:
            raise RuntimeError(f"nginx rejected {conf}:\n{check.stderr}")
        procs.append(stack.enter_context(_process(nginx, run_dir / "nginx.out")))
        wait_healthy(local, 30, procs[-1])
        yield Cluster(url=local, replica_urls=replica_urls, procs=procs, run_dir=run_dir)


def banner(join: str, code: str, replicas: int, run_dir: Path) -> str:
    lines = ["", qr_text(join), "", f"  Students join at:  {join}"]
    if code:
        lines.append(f"  Class code:        {code}")
    lines += [f"  {replicas} Streamlit processes behind nginx; logs in {run_dir}", "  Stop with Ctrl+C.", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicas", type=int, default=os.cpu_count() or 1, help="Streamlit processes")
    parser.add_argument("--port", type=int, default=8080, help="port students connect to")
    parser.add_argument("--bind", default="0.0.0.0", help="address nginx listens on")
    parser.add_argument("--join-host", default=None, help="address printed for students (default: LAN IP)")
    parser.add_argument("--run-dir", type=Path, default=None, help="nginx prefix, logs and pid")
    parser.add_argument("--upstreams", default=None,
                        help="comma-separated host:port of replicas started elsewhere (then none are started)")
    args = parser.parse_args(argv)
    if not Path(NGINX).exists():
        print("nginx is not installed: run `make classroom` (it installs Debian's nginx).", file=sys.stderr)
        return 2
    code = os.environ.get(CODE_ENV, "").strip()
    join = join_url(args.join_host, args.port) if args.join_host else None
    upstreams = [u.strip() for u in args.upstreams.split(",") if u.strip()] if args.upstreams else None
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    try:
        with cluster(max(1, args.replicas), args.port, args.bind, code, join, args.run_dir, upstreams) as c:
            shown = join or join_url(lan_address() if args.bind in ("0.0.0.0", "::") else args.bind, args.port)
            print(banner(shown, code, len(c.replica_urls) or len(upstreams or []), c.run_dir), flush=True)
            while not stop:
                dead = [p for p in c.procs if p.poll() is not None]
                if dead:
                    print(f"a server process exited (code {dead[0].returncode}); see {c.run_dir}", file=sys.stderr)
                    return 1
                time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
