"""``afcmd``: check and send job files, look at the farm, and act on jobs and renders.

The argument style follows CGRU's own afcmd (``afcmd json send FILE``, ``afcmd v json FILE``);
the everyday commands a TD types (``jobs``, ``job``, ``pause``, ...) are added on top. Every
message about the farm is the client's own (:mod:`afcore.client`), so the terminal says what a
dialog would. See docs/afcmd.md.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Callable, Optional, Sequence

from afcore import validate
from afcore.cli import farmviews
from afcore.cli.common import (
    EXIT_OK,
    EXIT_USER,
    ArgumentParser,
    UsageError,
    add_server_option,
    exit_code_for,
    load_config,
    parse_arguments,
    run_reporting_errors,
)
from afcore.cli.install import INSTALLERS, install_command
from afcore.cli.jobtree import describe_job
from afcore.cli.jsoncheck import load as load_json
from afcore.cli.tables import format_table
from afcore.client import Client
from afcore.config import Config
from afcore.errors import AfanasyError
from afcore.job import Job
from afcore.outbox import Outbox, deliver

EXAMPLES = """\
examples:
  afcmd json shot010.json              check a job file's syntax (silent when it is fine)
  afcmd v json shot010.json            show what the farm will make of it, and any problem
  afcmd json send shot010.json         send it and print the new job's id
  cat job.json | afcmd json send -     the same from a pipe
  afcmd jobs --user jimmy              jimmy's jobs: id, name, user, state, progress, blocks
  afcmd jobs shot010                   jobs whose name starts with shot010
  afcmd job 12                         blocks, tasks, hosts and errors of job 12
  afcmd job 12 output 3 --block 1      what task 3 of block 1 printed
  afcmd pause 12 14                    pause jobs 12 and 14
  afcmd delete 'shot010_.*'            delete every job whose whole name matches the regex
  afcmd priority 150 12                set job 12's priority to 150
  afcmd nimby 'render0[1-4]'           render01 .. render04 run only their owner's tasks
  afcmd outbox send                    send the jobs kept while the farm was down
  afcmd --server farm02:51000 jobs     ask another server
  afcmd devserver --workers 2          a local test server with two workers
  afcmd install nuke                   make Nuke load the Afanasy menu (also maya, houdini, blender)

exit codes: 0 done, 1 the request is wrong (arguments, JSON, an invalid job, refused by the
server), 2 the server could not be reached or did not answer properly (try again later).
"""

TARGETS_HELP = """\
Numbers are ids; anything else is a regular expression that must match the WHOLE name, as the
server matches action masks: 'shot010' does not catch 'shot010_comp', 'shot010.*' does. (The
name filter of 'afcmd jobs' and 'afcmd renders' is different: a prefix, as in get requests.)"""

Handler = Callable[[argparse.Namespace], int]
#: One action on the farm: a client and the ``ids=`` or ``mask=`` selection -> the server's text.
Act = Callable[[Client, dict[str, Any]], str]


@dataclass(frozen=True)
class Action:
    """An action command: the client method it calls, on what, and the word for "done"."""

    method: str
    noun: str
    done: str

    def help(self) -> str:
        """The client method's own first docstring line: one description for both."""
        return (getattr(Client, self.method).__doc__ or "").strip().splitlines()[0]

    def run(self, args: argparse.Namespace) -> int:
        return act(
            args,
            self.noun,
            lambda client, picked: getattr(client, self.method)(**picked),
            self.done,
        )


ACTIONS = {
    "pause": Action("pause_jobs", "job", "paused"),
    "start": Action("start_jobs", "job", "started"),
    "stop": Action("stop_jobs", "job", "stopped"),
    "restart": Action("restart_jobs", "job", "restarted"),
    "delete": Action("delete_jobs", "job", "deleted"),
    "nimby": Action("render_nimby", "render", "set to nimby"),
    "free": Action("render_free", "render", "set free"),
    "exit": Action("render_exit", "render", "asked to exit"),
}


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run one afcmd command; returns the exit code (0 ok, 1 user error, 2 server error)."""
    args = parse_arguments(build_parser(), argv, passthrough="devserver")
    if isinstance(args, int):
        return args
    handler: Handler = args.handler
    return run_reporting_errors(lambda: handler(args))


def build_parser() -> argparse.ArgumentParser:
    parser = ArgumentParser(
        prog="afcmd",
        description="Check and send Afanasy job files, look at the farm, act on jobs and renders.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_server_option(parser, default=None)
    commands = _Commands(parser)
    _add_file_commands(commands)
    _add_read_commands(commands)
    _add_action_commands(commands)
    _add_local_commands(commands)
    return parser


class _Commands:
    """Adds subcommands that all take ``--server`` after their name too (and ``--json`` if read)."""

    def __init__(self, parser: argparse.ArgumentParser) -> None:
        self._commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
        # SUPPRESS: an option given after the command does not reset one given before it.
        self._server = ArgumentParser(add_help=False)
        add_server_option(self._server, default=argparse.SUPPRESS)
        self._json = ArgumentParser(add_help=False)
        self._json.add_argument("--json", action="store_true", help="print machine-readable JSON")

    def add(
        self, name: str, handler: Handler, help: str, reads: bool = False, **options: Any
    ) -> argparse.ArgumentParser:
        parents = [self._server, self._json] if reads else [self._server]
        command = self._commands.add_parser(
            name, help=help, description=help, parents=parents, **options
        )
        command.set_defaults(handler=handler)
        return command


def _add_file_commands(commands: _Commands) -> None:
    command = commands.add(
        "json",
        json_command,
        "check a job file's syntax, or send it",
        usage="afcmd json [send] FILE|-",
    )
    command.add_argument(
        "words", nargs="+", metavar="[send] FILE|-", help="'-' reads standard input"
    )
    command = commands.add(
        "v",
        verbose_command,
        "show a job file as a tree, with every problem",
        usage="afcmd v json FILE|-",
    )
    command.add_argument("what", choices=["json"], help=argparse.SUPPRESS)
    command.add_argument("file", metavar="FILE|-", help="'-' reads standard input")


def _add_read_commands(commands: _Commands) -> None:
    command = commands.add("jobs", jobs_command, "list jobs", reads=True)
    command.add_argument("mask", nargs="?", help="names starting with this (comma: several)")
    command.add_argument(
        "--user", action="append", metavar="NAME", help="this user's jobs (repeatable)"
    )
    command = commands.add(
        "job",
        job_command,
        "a job's blocks, tasks, hosts and errors, or what a task printed",
        reads=True,
        usage="afcmd job ID [output TASK [--block B]] [--json]",
    )
    command.add_argument("id", type=int)
    command.add_argument("output", nargs="?", choices=["output"], help=argparse.SUPPRESS)
    command.add_argument("task", nargs="?", type=int, help=argparse.SUPPRESS)
    command.add_argument("--block", type=int, default=0, help="the task's block (default 0)")
    command = commands.add("renders", renders_command, "list render clients", reads=True)
    command.add_argument("mask", nargs="?", help="names starting with this (comma: several)")
    commands.add("users", users_command, "list users", reads=True)


def _add_action_commands(commands: _Commands) -> None:
    for name, action in ACTIONS.items():
        command = commands.add(name, action.run, action.help(), epilog=TARGETS_HELP)
        command.add_argument("targets", nargs="+", metavar="ID_OR_REGEX")
    command = commands.add(
        "priority", priority_command, "Set the priority of jobs.", epilog=TARGETS_HELP
    )
    command.add_argument("priority", type=_priority, metavar="N", help="0 (lowest) to 250")
    command.add_argument("targets", nargs="+", metavar="ID_OR_REGEX")


def _add_local_commands(commands: _Commands) -> None:
    command = commands.add(
        "outbox",
        outbox_command,
        "jobs kept while the farm could not be reached: list, send or drop them",
        reads=True,
        usage="afcmd outbox [list | send | drop (PATH... | --all)] [--json]",
    )
    command.add_argument("action", nargs="?", choices=["list", "send", "drop"], default="list")
    command.add_argument("paths", nargs="*", metavar="PATH", help="outbox files to drop")
    command.add_argument("--all", action="store_true", help="with drop: every job in the outbox")
    commands.add(
        "devserver",
        devserver_command,
        "run a local test server (afcmd devserver --help)",
        add_help=False,
    )
    command = commands.add(
        "install", install_command, "set up a DCC to load the Afanasy plug-in for you"
    )
    command.add_argument("dcc", choices=sorted(INSTALLERS))


# --- job files ---------------------------------------------------------------------------------


def json_command(args: argparse.Namespace) -> int:
    """``json FILE`` checks the syntax (silent when fine); ``json send FILE`` sends it."""
    words = args.words
    if words == ["send"] and not os.path.exists("send"):
        raise UsageError(
            "afcmd json send needs the job file: afcmd json send FILE (or - for stdin)"
        )
    if len(words) == 1:
        load_json(words[0])
        return EXIT_OK
    if len(words) == 2 and words[0] == "send":
        return send_document(load_json(words[1]), args)
    raise UsageError("usage: afcmd json [send] FILE|-   (for a file named 'send' write ./send)")


def verbose_command(args: argparse.Namespace) -> int:
    """``v json FILE``: the job as the farm will see it, after the fixes ``send`` makes too."""
    document = load_json(args.file)
    if not is_job_document(document):
        print(json.dumps(document, indent=1, ensure_ascii=False))
        return EXIT_OK
    job, notes = job_from_document(document, load_config(args.server))
    problems = validate.problems(job)
    print(describe_job(job, problems, notes))
    return EXIT_USER if problems else EXIT_OK


def send_document(document: Any, args: argparse.Namespace) -> int:
    """Send a job (numeric flags inferred, validated first), or a get / action as it is."""
    farm = Farm(args)
    if not is_job_document(document):
        if not isinstance(document, dict) or not {"get", "action"} & set(document):
            raise UsageError(
                'Not an Afanasy request: expected an object with a "job", "get" or "action" key.'
            )
        print(json.dumps(farm.client.request(document), indent=1, ensure_ascii=False))
        return EXIT_OK
    job, notes = job_from_document(document, farm.config)
    for note in notes:
        print(f"Note: {note}", file=sys.stderr)
    print(deliver(job, farm.client, farm.outbox).id)
    return EXIT_OK


def is_job_document(document: Any) -> bool:
    """``{"job": {...}}``, or a bare job object (it has blocks)."""
    return isinstance(document, dict) and ("job" in document or "blocks" in document)


def job_from_document(document: dict[str, Any], config: Config) -> tuple[Job, list[str]]:
    """The job in a document as it will be sent, with a note for each thing filled in.

    The documented minimal job has no numeric flag (inferred, see :mod:`afcore.validate`);
    a hand-written job often has no user (afserver refuses it): it gets the config's user and
    host, as CGRU's ``af`` module gives every job.
    """
    try:
        job = Job.from_dict(document)
    except TypeError as error:
        raise UsageError(f"Not a job: {error}") from None
    notes = []
    for key in ("user_name", "host_name"):
        if getattr(job, key) == "" and getattr(config, key):
            setattr(job, key, getattr(config, key))
            notes.append(f"{key}: not given; sent as {getattr(config, key)!r} (from the config)")
    if isinstance(job.blocks, list):  # otherwise validation says what is wrong
        notes += validate.infer_numeric_flags(job)
    return job, notes


# --- reading the farm --------------------------------------------------------------------------


def jobs_command(args: argparse.Namespace) -> int:
    jobs = Farm(args).client.get_jobs(users=args.user, mask=args.mask)
    return show(args, jobs, farmviews.jobs_table, "no jobs")


def renders_command(args: argparse.Namespace) -> int:
    renders = Farm(args).client.get_renders(mask=args.mask)
    return show(args, renders, farmviews.renders_table, "no render clients")


def users_command(args: argparse.Namespace) -> int:
    return show(args, Farm(args).client.get_users(), farmviews.users_table, "no users")


def show(
    args: argparse.Namespace, items: list[Any], table: Callable[[list[Any]], str], none: str
) -> int:
    """``items`` as JSON or as a table; an empty list says so on stderr (stdout stays empty)."""
    if args.json:
        print(json.dumps(items, indent=1, ensure_ascii=False))
    elif items:
        print(table(items))
    else:
        print(f"({none})", file=sys.stderr)
    return EXIT_OK


def job_command(args: argparse.Namespace) -> int:
    if args.output and args.task is None:
        raise UsageError("usage: afcmd job ID output TASK [--block B]")
    client = Farm(args).client
    if args.output:
        text = client.task_output(args.id, args.block, args.task)
        if args.json:
            print(
                json.dumps({"job": args.id, "block": args.block, "task": args.task, "output": text})
            )
        else:
            sys.stdout.write(text if not text or text.endswith("\n") else text + "\n")
        return EXIT_OK
    job = client.get_job(args.id, "full")
    progress = client.job_progress(args.id)
    error_hosts = _error_hosts(client, args.id)
    if args.json:
        document = {"job": job, "progress": progress, "error_hosts": error_hosts}
        print(json.dumps(document, indent=1, ensure_ascii=False))
    else:
        print(farmviews.job_details(job, progress, error_hosts))
    return EXIT_OK


def _error_hosts(client: Client, job_id: int) -> list[str]:
    """The server's error-hosts lines (``Block['frames'] error hosts:`` then one per host)."""
    reply = client.request({"get": {"type": "jobs", "ids": [job_id], "mode": "error_hosts"}})
    message = reply.get("message")
    lines = message.get("list") if isinstance(message, dict) else None
    return [str(line) for line in lines] if isinstance(lines, list) else []


# --- actions -----------------------------------------------------------------------------------


def priority_command(args: argparse.Namespace) -> int:
    def set_priority(client: Client, picked: dict[str, Any]) -> str:
        return client.set_job_priority(args.priority, **picked)

    return act(args, "job", set_priority, f"priority set to {args.priority}")


def act(args: argparse.Namespace, noun: str, run: Act, done: str) -> int:
    """One action for all the ids, one per regular expression; each reported, none skipped."""
    ids, masks = split_targets(args.targets)
    selections: list[tuple[dict[str, Any], str]] = [
        ({"mask": mask}, f"{noun}s matching {mask!r}") for mask in masks
    ]
    if ids:
        selections.insert(0, ({"ids": ids}, f"{noun} {', '.join(map(str, ids))}"))
    client = Farm(args).client
    worst = EXIT_OK
    for picked, what in selections:
        try:
            run(client, picked)
        except AfanasyError as error:
            print(error, file=sys.stderr)
            worst = max(worst, exit_code_for(error))
        else:
            print(f"{what[0].upper()}{what[1:]}: {done}.")
    return worst


def split_targets(targets: Sequence[str]) -> tuple[list[int], list[str]]:
    """Numbers are ids, anything else a whole-name regular expression (checked here)."""
    ids = [int(target) for target in targets if target.isdigit()]
    masks = [target for target in targets if not target.isdigit()]
    for mask in masks:
        try:
            re.compile(mask)
        except re.error as error:
            raise UsageError(f"{mask!r} is not a valid regular expression: {error}") from None
    return ids, masks


def _priority(text: str) -> int:
    if not text.isdigit() or not 0 <= int(text) <= 250:
        raise argparse.ArgumentTypeError(f"{text!r}: a priority is a whole number from 0 to 250")
    return int(text)


# --- outbox and devserver ----------------------------------------------------------------------


def outbox_command(args: argparse.Namespace) -> int:
    farm = Farm(args)
    if args.action == "send":
        return _send_outbox(farm)
    if args.action == "drop":
        return _drop_from_outbox(farm, args.paths, args.all)
    entries = farm.outbox.entries()
    if args.json:
        kept = [{**vars(e), "path": str(e.path), "created": e.created.isoformat()} for e in entries]
        print(json.dumps(kept, indent=1, ensure_ascii=False))
    elif entries:
        rows = [[f"{e.created:%Y-%m-%d %H:%M}", e.name, e.server, e.path] for e in entries]
        print(format_table(["kept", "name", "server", "path"], rows))
    else:
        print(f"(the outbox {farm.outbox.directory} is empty)", file=sys.stderr)
    return EXIT_OK


def _send_outbox(farm: Farm) -> int:
    results = farm.outbox.send_all(farm.client)
    if not results:
        print(f"(the outbox {farm.outbox.directory} is empty)", file=sys.stderr)
    worst = EXIT_OK
    for path, result in results:
        if isinstance(result, AfanasyError):
            print(f"{path}: {result}", file=sys.stderr)
            worst = max(worst, exit_code_for(result))
        else:
            print(f"Sent {path} as job {result.id}")
    return worst


def _drop_from_outbox(farm: Farm, paths: list[str], everything: bool) -> int:
    if everything == bool(paths):
        raise UsageError("usage: afcmd outbox drop PATH...   or   afcmd outbox drop --all")
    for path in [entry.path for entry in farm.outbox.entries()] if everything else paths:
        farm.outbox.remove(path)
        print(f"Dropped {path}")
    return EXIT_OK


def devserver_command(args: argparse.Namespace) -> int:
    from afcore.devserver import main as devserver_main

    try:
        return devserver_main(args.rest)
    except SystemExit as done:  # its own --help or bad arguments
        return done.code if isinstance(done.code, int) else EXIT_USER


class Farm:
    """The config, client and outbox one command uses (``--server`` applied)."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.config: Config = load_config(args.server)
        self.client = Client.from_config(self.config)

    @cached_property
    def outbox(self) -> Outbox:
        return Outbox.from_config(self.config)


if __name__ == "__main__":
    sys.exit(main())
