"""nginx in front of gunicorn on this machine: what `make serve-nginx` runs.

Renders deploy/nginx.conf into the instance folder (pid, logs and temporary files live there
too, so nothing outside it is written), starts gunicorn on a local unix socket with the
settings of `atlas serve` and then Debian's nginx on PORT, and stops both when stopped.

    python deploy/serve.py [--port 5000] [--instance instance/nginx] [--micro-cache]
"""

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from atlas.cli import gunicorn_command  # noqa: E402

BROTLI = Path("/usr/lib/nginx/modules/ngx_http_brotli_filter_module.so")
BROTLI_TYPES = ("text/html text/css text/plain text/csv text/javascript application/javascript application/json "
                "application/xml image/svg+xml")


MICRO_CACHE = re.compile(r"^[ \t]*# >>> micro-cache\n.*?^[ \t]*# <<< micro-cache\n", re.MULTILINE | re.DOTALL)


def render(instance, listen, socket, static=ROOT / "static", micro_cache=False):
    """The template with this machine's paths; brotli only when Debian's module is installed;
    the micro-cache's lines only when asked for."""
    modules, brotli = "", ""
    if BROTLI.exists():
        modules = f"load_module {BROTLI};"
        brotli = f"    brotli on;\n    brotli_comp_level 5;\n    brotli_types {BROTLI_TYPES};\n"
    values = {
        # nginx started by root drops to www-data, which may not read the checkout: stay root then.
        "USER": "user root;" if os.geteuid() == 0 else "",
        "INSTANCE": str(instance), "MODULES": modules, "BROTLI": brotli, "SOCKET": str(socket),
        "LISTEN": listen, "STATIC": str(static),
    }
    text = (ROOT / "deploy" / "nginx.conf").read_text()
    if not micro_cache:
        text = MICRO_CACHE.sub("", text)
    for name, value in values.items():
        text = text.replace(f"@{name}@", value)
    return text


def wait_for_socket(path, process, seconds=30):
    deadline = time.monotonic() + seconds
    while not Path(path).exists():
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("gunicorn did not start")
        time.sleep(0.05)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 5000)))
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--instance", type=Path, default=ROOT / "instance" / "nginx")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--micro-cache", action="store_true", default=os.environ.get("MICRO_CACHE", "") not in ("", "0"),
                        help="keep public answers in nginx (proxy_cache) as long as their max-age says")
    parser.add_argument("--static", type=Path, default=ROOT / "static", help="the folder /assets/ serves from")
    args = parser.parse_args()
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        sys.exit("nginx is not installed (make tools installs Debian's package)")
    instance = args.instance.resolve()
    for folder in ("", "body", "proxy", "fastcgi", "uwsgi", "scgi", "cache"):
        (instance / folder).mkdir(parents=True, exist_ok=True)
    socket = instance / "gunicorn.sock"
    socket.unlink(missing_ok=True)
    config = instance / "nginx.conf"
    config.write_text(render(instance, f"{args.host}:{args.port}", socket, args.static.resolve(), args.micro_cache))

    env = {**os.environ}
    env.setdefault("ATLAS_PROXY_FIX", "1")  # nginx is the one proxy whose X-Forwarded-* to believe
    app_server = subprocess.Popen(gunicorn_command(f"unix:{socket}", args.workers, access_log=None), cwd=ROOT, env=env)
    front = None
    try:
        wait_for_socket(socket, app_server)
        front = subprocess.Popen([nginx, "-p", str(instance), "-c", str(config), "-g", "daemon off;"])
        print(f"nginx on http://{args.host}:{args.port} -> gunicorn on {socket}", flush=True)
        stop = []
        signal.signal(signal.SIGTERM, lambda *_: stop.append(True))
        while not stop and app_server.poll() is None and front.poll() is None:
            time.sleep(0.2)
    except KeyboardInterrupt:
        pass
    finally:
        for process in (front, app_server):
            if process and process.poll() is None:
                process.send_signal(signal.SIGQUIT if process is front else signal.SIGTERM)
        for process in (front, app_server):
            if process:
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
    return 1 if app_server.returncode not in (0, -signal.SIGTERM) else 0


if __name__ == "__main__":
    sys.exit(main())
