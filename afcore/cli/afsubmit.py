"""``afsubmit``: submit work without opening a DCC, to a farm or to a farm made for one run.

Two kinds of work: a command over frames (``--cmd``, the generic job every farm has), or a
scene file read by the reader its plugin registered for the extension (:mod:`.readers`), built
by the same pipeline the DCC dialogs use (:mod:`afcore.submit`). ``--local`` renders it here
with an embedded devserver; ``--dry-run`` prints the job instead. See docs/afsubmit.md.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import json
import os
import sys
import tempfile
from typing import Any, Optional, Sequence

from afcore.checks import CONFIRM
from afcore.cli.commandjob import CommandSpec, command_job
from afcore.cli.common import (
    EXIT_OK,
    EXIT_SERVER,
    ArgumentParser,
    UsageError,
    add_server_option,
    load_config,
    parse_arguments,
    run_reporting_errors,
)
from afcore.cli.local import local_farm, output_files, wait_for_jobs
from afcore.cli.progress import ProgressBar
from afcore.cli.readers import reader_for
from afcore.client import Client
from afcore.config import Config
from afcore.host import Host
from afcore.job import Job
from afcore.outbox import Outbox, deliver
from afcore.settings import (
    SettingsStore,
    SubmitSettings,
    TargetOverride,
    locked_fields,
    site_settings,
    validate_settings,
)
from afcore.submit import Submission, prepare, submit

EXAMPLES = """\
examples:
  afsubmit --cmd "python render.py @#@ @#@" --frames 1-100 --fpt 10
      a job of 10 tasks; the render client puts each task's first and last frame for @#@
  afsubmit --cmd "convert in.@####@.exr out.@####@.jpg" --frames 1-50,60-80 --name jpgs
      frames that are not one range make one block per range
  afsubmit --local --cmd "python write.py @#@ @#@" --frames 1-20 --fpt 5 --files out/f.####.txt
      render here with a local server and worker, then list the files written
  afsubmit shot010.nk --frames 1001-1100 --priority 150
      a Nuke script, read without Nuke (scene types come from installed plugins)
  afsubmit shot010.blend --dry-run
      print the job JSON instead of sending it (afcmd json send - sends it)
  afsubmit --gui shot010.blend
      open the submit dialog on a scene

exit codes: 0 sent (and, with --local, rendered), 1 the request is wrong (arguments, scene,
an invalid job), 2 the server could not be reached, or with --local a task failed.
"""

#: Command-line option -> the SubmitSettings field it sets (the same for commands and scenes).
SETTING_OPTIONS = {
    "name": "job_name",
    "priority": "priority",
    "max_running": "max_running_tasks",
    "hosts_mask": "hosts_mask",
    "depend_mask": "depend_mask",
    "paused": "start_paused",
    "capacity": "capacity",
    "fpt": "frames_per_task",
}
#: Options that describe a command job; a scene's targets say these themselves.
COMMAND_OPTIONS = ("service", "parser", "workdir", "files")


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Submit once; returns the exit code (0 ok, 1 user error, 2 server or task failure)."""
    args = parse_arguments(build_parser(), argv)
    if isinstance(args, int):
        return args
    return run_reporting_errors(lambda: run(args))


def build_parser() -> argparse.ArgumentParser:
    parser = ArgumentParser(
        prog="afsubmit",
        usage="afsubmit (SCENE_FILE | --cmd COMMAND) [options]",
        description="Submit a command over frames, or a scene file, to Afanasy without a DCC.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("scene", nargs="?", metavar="SCENE_FILE", help="a scene to render")
    parser.add_argument("--cmd", metavar="COMMAND", help="the shell command each task runs")
    parser.add_argument("--frames", help="frames, e.g. 1-100, 1-100x2, 1-10,20-30 (--cmd: 1)")
    parser.add_argument("--fpt", type=_positive, metavar="N", help="frames per task")
    job = parser.add_argument_group("job options (default: the site's, see docs/pipeline.md)")
    job.add_argument("--name", help="job name (default: the scene's name, or the command)")
    job.add_argument("--priority", type=int, metavar="N", help="0 to 250")
    job.add_argument("--max-running", type=_positive, metavar="N", help="tasks at a time")
    job.add_argument("--hosts-mask", metavar="REGEX", help="render on hosts whose name matches")
    job.add_argument("--depend-mask", metavar="REGEX", help="wait for this user's jobs matching")
    job.add_argument("--paused", action="store_true", default=None, help="send the job paused")
    job.add_argument("--capacity", type=_positive, metavar="N", help="capacity of each task")
    command = parser.add_argument_group("--cmd options")
    command.add_argument("--service", help="Afanasy service (default generic)")
    command.add_argument("--parser", help="output parser, e.g. generic")
    command.add_argument("--workdir", metavar="DIR", help="tasks start here (default: here)")
    command.add_argument(
        "--files",
        action="append",
        metavar="PATTERN",
        help="an output file pattern (out/img.####.exr, %%04d, @####@); repeatable",
    )
    run_options = parser.add_argument_group("how to submit")
    run_options.add_argument("--local", action="store_true", help="render here with a local server")
    run_options.add_argument(
        "--workers",
        type=_positive,
        default=2,
        metavar="N",
        help="--local: tasks run at a time (default 2)",
    )
    run_options.add_argument(
        "--dry-run", action="store_true", help="print the job JSON, send nothing"
    )
    run_options.add_argument(
        "--gui", action="store_true", help="open the submit dialog on SCENE_FILE"
    )
    run_options.add_argument(
        "--yes",
        action="store_true",
        help="accept the checks' fixes and confirmations (create folders, ...)",
    )
    add_server_option(run_options, default=None)
    return parser


def run(args: argparse.Namespace) -> int:
    _check_combination(args)
    config = load_config(args.server)
    if args.gui:
        return open_dialog(open_scene(args.scene), config)
    settings = settings_from_args(args, config)
    if args.local and settings.start_paused:
        origin = "--paused" if args.paused else "the site's submit defaults (start_paused)"
        raise UsageError(f"--local waits for the job to finish, but {origin} would keep it paused.")
    if args.local:
        with local_farm(config, args.workers) as local_config:
            return submit_work(args, settings, local_config, local=True)
    return submit_work(args, settings, config, local=False)


def _check_combination(args: argparse.Namespace) -> None:
    if bool(args.scene) == bool(args.cmd is not None):
        raise UsageError(
            "Give either a scene file or --cmd COMMAND (afsubmit --help shows examples)."
        )
    if args.scene:
        given = [f"--{name}" for name in COMMAND_OPTIONS if getattr(args, name) is not None]
        if given:
            raise UsageError(
                f"{', '.join(given)} only apply to --cmd jobs: a scene's targets set them."
            )
    if args.gui and (args.cmd is not None or args.local or args.dry_run):
        raise UsageError(
            "--gui opens the dialog on a scene file: it takes no --cmd, --local or --dry-run."
        )
    if args.local and args.dry_run:
        raise UsageError("--dry-run sends nothing, so --local has nothing to render: pick one.")


def settings_from_args(args: argparse.Namespace, config: Config) -> SubmitSettings:
    """The site's defaults with the options given on top; a site-locked field cannot change."""
    site = site_settings(config)
    given = {
        field: getattr(args, option)
        for option, field in SETTING_OPTIONS.items()
        if getattr(args, option) is not None
    }
    locked = sorted(
        field
        for field in locked_fields(config) & set(given)
        if given[field] != getattr(site, field)
    )
    if locked:
        options = ", ".join(_option_of(field) for field in locked)
        raise UsageError(f"The site locked {', '.join(locked)}: leave out {options}.")
    settings = dataclasses.replace(site, **given)
    problems = validate_settings(settings)
    if problems:
        lines = "\n".join(f"  - {_option_of(p.where)}: {p.message}" for p in problems)
        raise UsageError(f"Nothing was submitted:\n{lines}")
    return settings


def _option_of(field: str) -> str:
    """``--max-running`` for ``max_running_tasks``; a site default has no option to name."""
    for option, setting in SETTING_OPTIONS.items():
        if setting == field:
            return "--" + option.replace("_", "-")
    return f"submit.{field} (a site default)"


# --- the two kinds of work ---------------------------------------------------------------------


def submit_work(
    args: argparse.Namespace, settings: SubmitSettings, config: Config, local: bool
) -> int:
    if args.cmd is not None:
        spec = CommandSpec(
            command=args.cmd,
            frames=args.frames or "1",
            working_directory=args.workdir or "",
            files=args.files or [],
            service=args.service or "generic",
            parser=args.parser or "",
        )
        job = command_job(spec, settings, config)
        if args.dry_run:
            print(job.to_json(indent=1))
            return EXIT_OK
        return send_command_job(job, config, local)
    return submit_scene(args, settings, config, local)


def send_command_job(job: Job, config: Config, local: bool) -> int:
    client = Client.from_config(config)
    result = deliver(job, client, Outbox.from_config(config))
    # With --local, stdout is kept for the list of output files.
    print(f"Sent {job.name!r}: job id {result.id}.", file=sys.stderr if local else sys.stdout)
    return render_here(client, [(result.id, job)]) if local else EXIT_OK


def submit_scene(
    args: argparse.Namespace, settings: SubmitSettings, config: Config, local: bool
) -> int:
    host = open_scene(args.scene)
    if args.frames or args.fpt:
        settings.overrides = {
            target.name: TargetOverride(frames=args.frames, frames_per_task=args.fpt)
            for target in host.collect().targets
        }
    # A throwaway store: a command line run must not change what the artist's dialog remembers.
    with tempfile.TemporaryDirectory(prefix="afsubmit-") as scratch:
        store = SettingsStore(os.path.join(scratch, "settings.json"), scratch)
        submission = prepare(host, settings, config, store=store)
        answers = _answers(submission, args.yes)
        if args.dry_run:
            return print_jobs(submission)
        deliveries = submit(
            submission, answers, Client.from_config(config), Outbox.from_config(config), store=store
        )
    for delivery in deliveries:
        print(delivery, file=sys.stdout if delivery.sent and not local else sys.stderr)
    if not all(delivery.sent for delivery in deliveries):
        return EXIT_SERVER
    if not local:
        return EXIT_OK
    try:
        sent = [(d.result.id, job) for d, job in zip(deliveries, submission.jobs) if d.result]
        return render_here(Client.from_config(config), sent)
    finally:
        for copy in submission.scene_copies:  # the local run's copies: nothing else renders them
            if os.path.lexists(copy):
                os.remove(copy)


def _answers(submission: Submission, accept: bool) -> list[str]:
    """Show the checks; with ``--yes`` accept every fix and confirmation offered."""
    for check in submission.checks:
        offer = "  (--yes accepts)" if check.fix or check.level == CONFIRM else ""
        print(f"{check.level}: {check.message}{offer}", file=sys.stderr)
    answers = [check.key for check in submission.checks if check.fix or check.level == CONFIRM]
    if accept:
        return answers
    waiting = [check for check in submission.blocking() if check.key in answers]
    if waiting:
        raise UsageError("Run again with --yes to accept: " + "; ".join(c.message for c in waiting))
    return []


def print_jobs(submission: Submission) -> int:
    """The jobs as JSON: one document, or a list of documents for separate jobs."""
    if not submission.jobs:
        raise UsageError("No job can be made of this scene (see the checks above).")
    documents = [job.to_dict() for job in submission.jobs]
    print(
        json.dumps(documents[0] if len(documents) == 1 else documents, indent=1, ensure_ascii=False)
    )
    return EXIT_OK


def open_scene(path: str) -> Host:
    """The host its plugin's reader makes for the scene file at ``path``."""
    reader = reader_for(path)
    if not os.path.isfile(path):
        raise UsageError(f"There is no scene file at {path}.")
    try:
        return reader(path)
    except ImportError as error:  # the reader needs its DCC's Python module, e.g. bpy
        raise UsageError(str(error)) from error


# --- local rendering and the dialog ------------------------------------------------------------


def render_here(client: Client, jobs: list[tuple[int, Job]]) -> int:
    """Wait for the local worker to render the jobs; list the files written, or the failure."""
    failure = wait_for_jobs(
        client, [job_id for job_id, _ in jobs], ProgressBar(sys.stderr, "Rendering")
    )
    if failure:
        print(failure, file=sys.stderr)
        return EXIT_SERVER
    files = [path for _, job in jobs for path in output_files(job)]
    if files:
        print(f"Done. {len(files)} output file(s):", file=sys.stderr)
        print("\n".join(files))
    else:
        patterns = [pattern for _, job in jobs for block in job.blocks for pattern in block.files]
        missing = (
            f": none of {', '.join(patterns)} exists" if patterns else " (name them with --files)"
        )
        print(f"Done. No output files to list{missing}.", file=sys.stderr)
    return EXIT_OK


#: Modules whose absence means "Qt is not installed", not a bug in the dialog.
QT_MODULES = ("Qt", "PySide6", "PySide2", "PyQt5", "PyQt6", "shiboken6", "shiboken2")


def open_dialog(host: Host, config: Config) -> int:
    """The shared Qt submit dialog on ``host``; a clear message when Qt is not installed."""
    try:
        ui = importlib.import_module("afcore.ui")
        result: Any = ui.open_dialog(host, config=config)
    except ImportError as error:
        missing = getattr(error, "name", "") or ""
        if missing.split(".")[0] in QT_MODULES:
            raise UsageError(
                f"The submit dialog needs Qt ({missing} is not installed): "
                "pip install 'afanasy-submitters[ui]'"
            ) from error
        if missing == "afcore.ui":
            raise UsageError(
                "This installation has no submit dialog (afcore.ui is missing)."
            ) from error
        raise
    return result if isinstance(result, int) else EXIT_OK


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: expected a whole number of 1 or more")
    return int(text)


if __name__ == "__main__":
    sys.exit(main())
