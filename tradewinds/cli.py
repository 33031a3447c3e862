"""The `tradewinds` command: a friendly face over Django's management commands.

Verbs that need no database (risk train/score, bench) import nothing from Django, so an analyst
can run them on files alone."""

from __future__ import annotations

import argparse
import importlib
import os
import signal
import subprocess
import sys
from collections.abc import Callable

# verb path -> "module:function" taking argv and returning an exit code; each has its own --help.
DELEGATED = {
    ("risk", "train"): (
        "tradewinds.risk.engine.detection.cli:train_main",
        "Train a detection model on declaration files.",
    ),
    ("risk", "score"): (
        "tradewinds.risk.engine.detection.cli:score_main",
        "Score declaration files with a trained model.",
    ),
    ("bench", "risk"): ("tradewinds.bench.risk:main", "Benchmark batch rules, lane allocation and the HTTP API."),
    ("bench", "detection"): ("tradewinds.bench.detection:main", "Benchmark the detection model on the public dataset."),
    ("bench", "simulate"): (
        "tradewinds.bench.simulate:main",
        "Simulate learning from the inspections the product selects.",
    ),
}


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tradewinds.settings")
    import django

    django.setup()


def _manage(*args: str) -> None:
    from django.core.management import call_command

    call_command(*args)


def server_processes() -> int:
    """Processes, not threads: a thread back from a database round trip waits for the GIL behind
    its busy siblings, while processes share the cores through the OS scheduler. One more than the
    cores keeps them busy while one waits on the database; more processes cost more CPU per request
    (each wakes to caches the others have filled). On two cores at 150 lodgings/s, three processes
    spent 8.5-9.1 ms of CPU per lodging with p99 at 151-156 ms, four spent 10.5-10.9 ms and queued
    to p99 above a second, in alternating runs."""
    return int(os.environ.get("TRADEWINDS_WORKERS", str((os.cpu_count() or 1) + 1)))


def server_threads() -> int:
    return int(os.environ.get("TRADEWINDS_THREADS", "1"))


def cmd_serve(args: argparse.Namespace) -> int:
    if args.demo:
        os.environ["TRADEWINDS_DEMO"] = "1"
    _setup_django()
    _manage("migrate", "--no-input", "--verbosity", "0")
    if args.demo:
        from tradewinds.core.demo import is_loaded, load_demo

        if not is_loaded():
            print("Loading the demo region (a minute at most)…", flush=True)
            load_demo()
    env = dict(os.environ)
    # The task worker runs beside the web server so background jobs (imports, training, reminders)
    # work with one command and no broker.
    worker = subprocess.Popen([sys.executable, "-m", "tradewinds.cli", "manage", "db_worker"], env=env)
    # Granian: its HTTP side is Rust. On two cores a bare WSGI answer cost it 0.33 ms of CPU where
    # gunicorn took 1.0 to 1.2 (sync or gthread, same runs). Its parent process never imports the
    # application; each worker process loads its own.
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "granian",
            "--interface",
            "wsgi",
            "--host",
            args.host,
            "--port",
            str(args.port),
            "--workers",
            str(args.workers),
            "--blocking-threads",
            str(args.threads),
            "--no-ws",
            "--respawn-failed-workers",
            "--access-log" if args.access_log else "--no-access-log",
            "tradewinds.wsgi:application",
        ],
        env=env,
    )
    print(f"Tradewinds is serving at http://{args.host}:{args.port}/  (Ctrl+C to stop)", flush=True)

    def stop(signum, _frame):
        for process in (server, worker):
            process.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    code = server.wait()
    worker.terminate()
    worker.wait(timeout=30)
    return code


def cmd_demo(args: argparse.Namespace) -> int:
    _setup_django()
    _manage("migrate", "--no-input", "--verbosity", "0")
    from tradewinds.core.demo import DEMO_PASSWORD, is_loaded, load_demo

    if is_loaded():
        print(
            "The database already holds administrations; the demo loads only into an empty database.", file=sys.stderr
        )
        return 1
    load_demo()
    print(f"Demo region loaded. Log in as e.g. lca.risk / {DEMO_PASSWORD}")
    return 0


def cmd_createadmin(args: argparse.Namespace) -> int:
    _setup_django()
    _manage("migrate", "--no-input", "--verbosity", "0")
    import getpass

    from tradewinds.core.roles import Role
    from tradewinds.core.services import create_user
    from tradewinds.errors import TradewindsError

    password = os.environ.get("TRADEWINDS_ADMIN_PASSWORD") or getpass.getpass("Password: ")
    from django.contrib.auth.password_validation import ValidationError, validate_password

    try:
        validate_password(password)
        create_user(
            None,
            username=args.username,
            password=password,
            role=Role.PLATFORM_ADMIN,
            administration=None,
            email=args.email or "",
            is_staff=True,
            is_superuser=True,
        )
    except (ValidationError, TradewindsError) as error:
        messages = (
            error.messages if isinstance(error, ValidationError) else [e["msg"] for e in error.errors] or [error.detail]
        )
        print("Not created: " + " ".join(messages), file=sys.stderr)
        return 1
    print(f"Platform administrator {args.username} created.")
    return 0


def cmd_audit_verify(args: argparse.Namespace) -> int:
    _setup_django()
    from tradewinds.core.audit import verify_chain

    report = verify_chain()
    if report.ok:
        print(f"Audit trail intact: {report.checked} entries verified.")
        return 0
    print(
        f"Audit trail BROKEN at entry #{report.broken_entry_id}: {report.reason}. "
        f"{report.checked} entries before it verified.",
        file=sys.stderr,
    )
    return 2


def cmd_manage(args: argparse.Namespace) -> int:
    _setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["tradewinds manage", *args.rest])
    return 0


def _load(target: str) -> Callable[[list[str]], int]:
    module, function = target.split(":")
    return getattr(importlib.import_module(module), function)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tradewinds", description="Tradewinds customs platform.")
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")

    serve = verbs.add_parser("serve", help="Serve the web UI and API (production server, migrations applied).")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument(
        "--demo", action="store_true", help="Load the demo region into an empty database and show demo logins."
    )
    serve.add_argument("--workers", type=int, default=server_processes())
    serve.add_argument("--threads", type=int, default=server_threads())
    serve.add_argument("--access-log", action="store_true", help="Log every request to standard output.")
    serve.set_defaults(func=cmd_serve)

    verbs.add_parser("demo", help="Load the demo region into an empty database.").set_defaults(func=cmd_demo)

    create = verbs.add_parser(
        "createadmin", help="Create a platform administrator (password from prompt or TRADEWINDS_ADMIN_PASSWORD)."
    )
    create.add_argument("--username", default="admin")
    create.add_argument("--email", default="")
    create.set_defaults(func=cmd_createadmin)

    audit = verbs.add_parser("audit", help="Audit trail tools.")
    audit_verbs = audit.add_subparsers(dest="audit_verb", required=True, metavar="VERB")
    audit_verbs.add_parser(
        "verify", help="Check every link of the hash chain; name the first broken entry."
    ).set_defaults(func=cmd_audit_verify)

    manage = verbs.add_parser("manage", help="Run any Django management command (migrate, makemessages…).")
    manage.add_argument("rest", nargs=argparse.REMAINDER)
    manage.set_defaults(func=cmd_manage)

    groups: dict[str, argparse._SubParsersAction] = {}
    for (group, verb), (_target, help_text) in DELEGATED.items():
        if group not in groups:
            group_parser = verbs.add_parser(group, help=f"{group.capitalize()} tools.")
            groups[group] = group_parser.add_subparsers(dest=f"{group}_verb", required=True, metavar="VERB")
        # Listed for the help text only: main() hands these verbs their arguments directly.
        groups[group].add_parser(verb, help=help_text, add_help=False)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    # Delegated verbs parse their own arguments (including --help), so hand them over untouched.
    if tuple(argv[:2]) in DELEGATED:
        return int(_load(DELEGATED[tuple(argv[:2])][0])(argv[2:]) or 0)
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
