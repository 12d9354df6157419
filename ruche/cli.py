"""The `ruche` command: `demo`, `serve`, `worker`, and every Django management command.

ruche demo      set up an SQLite database with demo data, serve on 127.0.0.1:8000 with a
                task worker beside the server; Ctrl-C stops both
ruche serve     production-like ASGI server (uvicorn, several worker processes)
ruche worker    background task worker (database queue, or RQ when REDIS_URL is set)
ruche bench workshop --participants N --minutes M --json OUT
                a live workshop over WebSockets against a throw-away `ruche serve`
                (benchmarks/bench_workshop.py; needs a source checkout)
ruche <cmd>     any Django management command (migrate, createsuperuser, shell…)
"""

import argparse
import os
import signal
import subprocess
import sys

DEMO_SETTINGS = "ruche.config.settings.demo"
PRODUCTION_SETTINGS = "ruche.config.settings.production"


def _setup_django(default_settings: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", default_settings)
    import django

    django.setup()


def _call(*args: str) -> None:
    from django.core.management import call_command

    call_command(*args)


def demo(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="ruche demo", description="Run Ruche's demo.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument(
        "--setup-only", action="store_true", help="migrate and load demo data, then exit"
    )
    options = parser.parse_args(argv)
    os.environ["DJANGO_SETTINGS_MODULE"] = DEMO_SETTINGS
    _setup_django(DEMO_SETTINGS)
    from django.conf import settings

    from ruche.accounts.demo import load_demo_data

    _call("migrate", "--noinput", "--verbosity", "0")
    _call("createcachetable")
    accounts = load_demo_data()
    url = f"http://{options.host}:{options.port}/"
    print(f"\nRuche demo — database {settings.DATABASES['default']['NAME']}")
    print("Demo accounts (email / password):")
    for account in accounts:
        print(f"  {account.role:<12} {account.email:<28} {account.password}")
    print(f"\nOpen {url} and log in as the facilitator to reach the dashboard;")
    print(f"the style guide is at {url}styleguide/ and the admin at {url}admin/.")
    from ruche.accounts.models import Organisation
    from ruche.consultations.demo import demo_pages

    organisation = Organisation.objects.filter(slug="drelab-demo").first()
    if organisation is not None:
        print("Demo consultations (vote from a private window, no account needed):")
        for title, path in demo_pages(organisation):
            print(f"  {title}\n    {url}{path.lstrip('/')}")
        from ruche.workshops.demo import demo_pages as workshop_pages

        print("Demo workshops (join with the code from a phone or a private window):")
        for title, path in workshop_pages(organisation):
            print(f"  {title}\n    {url}{path.lstrip('/')}")
    if options.setup_only:
        return 0
    print("Press Ctrl-C to stop the server and the task worker.\n", flush=True)
    worker = subprocess.Popen([sys.executable, "-m", "ruche.cli", "worker"], env=os.environ.copy())
    try:
        import uvicorn

        uvicorn.run(
            "ruche.config.asgi:application",
            host=options.host,
            port=options.port,
            log_level="info",
            lifespan="off",
        )
    finally:
        _stop(worker)
    return 0


def _stop(process: subprocess.Popen, timeout: float = 10) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def serve(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="ruche serve", description="Serve Ruche with uvicorn (ASGI: HTTP and WebSockets)."
    )
    parser.add_argument("--host", default=os.environ.get("RUCHE_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("RUCHE_PORT", "8000")))
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        help="server processes (default: WEB_CONCURRENCY, else the number of cores with "
        "REDIS_URL set, else 1: without Redis, live events stay inside one process)",
    )
    parser.add_argument(
        "--no-collectstatic", action="store_true", help="do not collect static files first"
    )
    options = parser.parse_args(argv)
    _setup_django(PRODUCTION_SETTINGS)
    from django.conf import settings

    workers = options.workers or int(
        os.environ.get("WEB_CONCURRENCY") or ((os.cpu_count() or 1) if settings.REDIS_URL else 1)
    )
    if workers > 1 and not settings.REDIS_URL:
        print(
            f"Warning: {workers} server processes without REDIS_URL: live events will only "
            "reach clients connected to the process that made the change.",
            file=sys.stderr,
        )
    if not options.no_collectstatic:
        _call("collectstatic", "--noinput", "--verbosity", "0")
    import uvicorn

    uvicorn.run(
        "ruche.config.asgi:application",
        host=options.host,
        port=options.port,
        workers=workers,
        proxy_headers=True,
        forwarded_allow_ips=os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
        lifespan="off",
        log_level=os.environ.get("LOG_LEVEL", "info").lower(),
        # WebSocket compression (permessage-deflate) costs the server a compression per
        # socket and frame: a workshop reveal of 2,400 notes took 12 s of CPU for a room of
        # 1,000 (`make bench-workshop`). Off, as Socket.IO and ws now ship it; set
        # RUCHE_WS_COMPRESSION=true where bandwidth costs more than CPU.
        ws_per_message_deflate=os.environ.get("RUCHE_WS_COMPRESSION", "").lower()
        in ("1", "true", "yes", "on"),
    )
    return 0


def worker(argv: list[str]) -> int:
    """Run the task worker matching the configured backend; extra arguments pass through."""
    _setup_django(PRODUCTION_SETTINGS)
    from django.conf import settings

    if settings.REDIS_URL:
        # The scheduler runs deferred tasks (the throttled consultation analyses).
        _call(
            "rqworker", "--job-class", "django_tasks_rq.Job", "--with-scheduler", "default", *argv
        )
    else:
        # No autoreloader (db_worker's default under DEBUG): its extra child process would
        # outlive a SIGINT sent to the worker alone.
        _call("db_worker", *([] if "--reload" in argv else ["--no-reload"]), *argv)
    return 0


def analyze(argv: list[str]) -> int:
    from ruche.analysis.cli import main as analyze_main

    return analyze_main(argv)


BENCHMARKS = {"workshop": "bench_workshop"}


def bench(argv: list[str]) -> int:
    """Run a benchmark of the source checkout's benchmarks/ folder."""
    from pathlib import Path

    folder = Path(__file__).resolve().parents[1] / "benchmarks"
    if not argv or argv[0] not in BENCHMARKS or not folder.is_dir():
        print(f"usage: ruche bench {{{','.join(BENCHMARKS)}}} [options] (from a source checkout)")
        return 2
    import importlib

    sys.path.insert(0, str(folder))
    return importlib.import_module(BENCHMARKS[argv[0]]).main(argv[1:]) or 0


COMMANDS = {"demo": demo, "serve": serve, "worker": worker, "analyze": analyze, "bench": bench}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and argv[1] in COMMANDS:
        return COMMANDS[argv[1]](argv[2:]) or 0
    if len(argv) > 1 and argv[1] in ("-h", "--help", "help"):
        print(__doc__)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", PRODUCTION_SETTINGS)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["ruche", *argv[1:]])
    return 0


if __name__ == "__main__":
    sys.exit(main())
