"""CGRU's documented ``af`` Python API, as a thin facade over :mod:`afcore`.

::

    import af
    job = af.Job('somejob')
    block = af.Block('back', 'nuke')
    block.setCommand('nuke -i -X WriteBack -x scene.nk @#@,@#@')
    block.setFiles(['jpg/img.@####@.jpg'])
    block.setNumeric(1, 100, 10)
    job.blocks.append(block)
    job.send()

Class, method and argument names are CGRU's (3.4.1), and so is the JSON a job
becomes (``shared/protocol/af_reference/``). Underneath, each object keeps an
:mod:`afcore.job` model (``job.model``), which alone knows the JSON keys;
configuration comes from :mod:`afcore.config`, and ``send()`` validates
(:mod:`afcore.validate`), sends with timeouts, and keeps a job the server could
not be reached for in the outbox. CGRU's known bugs are not copied: see
docs/af-api.md.
"""

from __future__ import annotations

import dataclasses
import os
import re
import sys
from typing import Any, Callable, Iterable, Optional, Union

from afcore import job as model
from afcore.client import Client
from afcore.config import Config, load_config
from afcore.errors import AfanasyError
from afcore.outbox import Outbox, deliver
from afcore.paths import join_command, map_path

__all__ = ["Block", "Job", "Task", "reconfigure"]

_config: Optional[Config] = None


def _settings() -> Config:
    """The configuration, read once per process (``reconfigure()`` reads it again)."""
    global _config
    if _config is None:
        _config = load_config()
    return _config


def reconfigure() -> None:
    """Read the configuration again, e.g. after changing ``AF_SERVERNAME`` (CGRU's name)."""
    global _config
    _config = None


def _warn(message: str) -> None:
    print(f"Warning: {message}", file=sys.stderr)


def _to_farm(path: str, transfer: bool = True) -> str:
    """A client path as the farm sees it, through the configured path maps."""
    return map_path(path, _settings().path_maps) if transfer else path


_PATH_WORD = re.compile(r"[^\s'\"=]+")


def _to_farm_words(text: str, transfer: bool = True) -> str:
    """A command with every path-like word mapped to the farm (CGRU maps whole commands too)."""
    if not transfer or not _settings().path_maps:
        return text
    return _PATH_WORD.sub(lambda word: _to_farm(word.group(0)), text)


def _whole(value: Any) -> int:
    """A whole number from an int, an integral float or a digit string; anything else is refused."""
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise ValueError(f"expected a whole number, got {value!r}")


def _epoch_seconds(value: Any) -> int:
    """A time as whole seconds since 1970 (``time.time() + 3600`` is a float)."""
    return int(float(value))


def _files(files: Union[str, Iterable[str]]) -> list[str]:
    """One path given as a string is one file (CGRU would iterate its characters)."""
    return [files] if isinstance(files, str) else list(files)


def _current_directory() -> str:
    """``$PWD`` when it names the current directory (keeps the symlinked path people type)."""
    here = os.getcwd()
    logical = os.environ.get("PWD", "")
    try:
        return logical if logical and os.path.samefile(logical, here) else here
    except OSError:
        return here


# --- setters made from a field name: each only sets a model field ---

Setter = Callable[..., None]


def _as_is(value: Any) -> Any:
    """Text goes in unchanged: ``send()`` refuses what is not text, with the reason."""
    return value


def _value_setter(field: str, convert: Callable[[Any], Any] = _as_is) -> Setter:
    def setter(self: Any, value: Any) -> None:
        setattr(self.model, field, convert(value))

    setter.__doc__ = f"Set ``{field}``."
    return setter


def _path_setter(field: str, convert: Callable[[str, bool], str] = _to_farm) -> Setter:
    def setter(self: Any, value: str, TransferToServer: bool = True) -> None:
        setattr(self.model, field, convert(value, TransferToServer))

    setter.__doc__ = (
        f"Set ``{field}``, mapped to the farm's paths unless ``TransferToServer`` is False."
    )
    return setter


def _command_setter(field: str) -> Setter:
    return _path_setter(field, _to_farm_words)


def _switch(field: str, doc: str) -> Setter:
    def setter(self: Any) -> None:
        setattr(self.model, field, True)

    setter.__doc__ = doc
    return setter


def _flag_setter(flag: model.BlockFlags) -> Setter:
    def setter(self: Block) -> None:
        self.model.set_flag(flag)

    setter.__doc__ = f"Set the block flag {flag.name}."
    return setter


def _scaled(factor: int) -> Callable[[Any], int]:
    return lambda value: round(float(value) * factor)


class _Owner:
    """What Job, Block and Task share: setters that end in one model field."""

    model: Any

    def setName(self, name: str) -> None:
        """Set the name (an empty name is ignored, as in CGRU)."""
        if name:
            self.model.name = name


class _CommandsAndLimits(_Owner):
    """Setters Job and Block both have, with the same JSON key on each."""

    setCmdPre = _command_setter("command_pre")
    setCmdPost = _command_setter("command_post")
    setMaxRunningTasks = _value_setter("max_running_tasks", _whole)
    setMaxRunTasksPerHost = _value_setter("max_running_tasks_per_host", _whole)
    setHostsMask = _value_setter("hosts_mask")
    setHostsMaskExclude = _value_setter("hosts_mask_exclude")
    setDependMask = _value_setter("depend_mask")
    setNeedProperties = _value_setter("need_properties")


class _FilesAndEnvironment(_Owner):
    """Setters Block and Task both have."""

    def setFiles(self, files: Union[str, Iterable[str]], TransferToServer: bool = True) -> None:
        """Add output files, with ``@####@`` frame tokens (a single string is one file)."""
        self.model.files.extend(_to_farm(path, TransferToServer) for path in _files(files))

    def setEnv(self, i_name: str, i_value: str) -> None:
        """Set an environment variable for the task(s)."""
        self.model.environment[i_name] = i_value


class Task(_FilesAndEnvironment):
    """One explicit task of a block; its command replaces the block command's ``@#@``."""

    def __init__(self, taskname: str = "") -> None:
        self.model = model.Task(name=taskname or "")

    setCommand = _command_setter("command")


class Block(_CommandsAndLimits, _FilesAndEnvironment):
    """A block of tasks: numeric (a frame range) or a list of :class:`Task` in ``block.tasks``."""

    def __init__(self, blockname: str = "block", service: str = "generic") -> None:
        settings = _settings()
        self.model = model.Block(
            name=blockname,
            capacity=settings.capacity,
            working_directory=_to_farm(_current_directory()),
        )
        self.tasks: list[Task] = []
        if service:
            self.setService(service)
            self.setParser(_PARSERS.get(service, service))

    def setService(self, service: str, nocheck: bool = False) -> bool:
        """Set the service (the render client's Python class that runs the tasks)."""
        if not service:
            return False
        self.model.service = service
        return True

    def setParser(self, parser: str, nocheck: bool = False) -> None:
        """Set the parser that reads progress from the task output."""
        if parser:
            self.model.parser = parser

    def setNumeric(
        self, start: int = 1, end: int = 1, pertask: int = 1, increment: int = 1
    ) -> None:
        """Make the block numeric over ``start..end``; ``send()`` refuses a range that is wrong."""
        self.model.set_numeric(_whole(start), _whole(end), _whole(pertask), _whole(increment))

    def setCommand(self, command: str, prefix: bool = True, TransferToServer: bool = True) -> None:
        """Set the command; the configured ``cmd_prefix`` (``AF_CMD_PREFIX``) goes first."""
        if prefix:
            command = _settings().cmd_prefix + command
        self.model.command = _to_farm_words(command, TransferToServer)

    def addTicket(self, i_name: str, i_count: int) -> None:
        """Each task of the block takes ``i_count`` of the ticket ``i_name``."""
        self.model.tickets[i_name] = _whole(i_count)

    def setCapacity(self, capacity: int) -> None:
        """Set the capacity each task takes on a render client."""
        self.model.capacity = _whole(capacity)

    def setVariableCapacity(self, capacity_coeff_min: int, capacity_coeff_max: int) -> None:
        """Let the capacity vary between ``min`` and ``max`` times the block capacity."""
        self.model.capacity_coeff_min = _whole(capacity_coeff_min)
        self.model.capacity_coeff_max = _whole(capacity_coeff_max)

    setWorkingDirectory = _path_setter("working_directory")
    setTasksName = _value_setter("tasks_name")
    setFramesPerTask = _value_setter("frames_per_task", _whole)
    setSequential = _value_setter("sequential", _whole)
    setParserCoeff = _value_setter("parser_coeff", _whole)
    setErrorsAvoidHost = _value_setter("errors_avoid_host", _whole)
    setErrorsForgiveTime = _value_setter("errors_forgive_time", _whole)
    setErrorsRetries = _value_setter("errors_retries", _whole)
    setErrorsTaskSameHost = _value_setter("errors_task_same_host", _whole)
    setNeedHDD = _value_setter("need_hdd", _whole)
    setNeedMemory = _value_setter("need_memory", _whole)
    setNeedPower = _value_setter("need_power", _whole)
    setNeedCPUCores = _value_setter("need_cpu_cores", _whole)
    setNeedGPUMemGB = _value_setter("need_gpu_mem_mb", _scaled(1024))
    setNeedCPUFreqGHz = _value_setter("need_cpu_freq_mgz", _scaled(1000))
    setTaskMaxRunTime = _value_setter("task_max_run_time", _whole)
    setTasksMaxRunTime = setTaskMaxRunTime
    setTaskMinRunTime = _value_setter("task_min_run_time", _whole)
    setTaskProgressChangeTimeout = _value_setter("task_progress_change_timeout", _whole)
    setTasksDependMask = _value_setter("tasks_depend_mask")
    setDependSubTask = _flag_setter(model.BlockFlags.DEPEND_SUB_TASK)
    setTasksSuspended = _flag_setter(model.BlockFlags.SUSPEND_NEW_TASKS)
    skipThumbnails = _flag_setter(model.BlockFlags.SKIP_THUMBNAILS)

    def skipExistingFiles(self, i_size_min: int = -1, i_size_max: int = -1) -> None:
        """Skip tasks whose files exist (and, when given, have a size in ``min..max`` bytes)."""
        self.model.set_flag(model.BlockFlags.SKIP_EXISTING_FILES)
        self._file_sizes(i_size_min, i_size_max)

    def checkRenderedFiles(self, i_size_min: int = -1, i_size_max: int = -1) -> None:
        """Fail tasks whose files are missing (or outside ``min..max`` bytes) after rendering."""
        self.model.set_flag(model.BlockFlags.CHECK_RENDERED_FILES)
        self._file_sizes(i_size_min, i_size_max)

    def _file_sizes(self, size_min: int, size_max: int) -> None:
        if size_min != -1:
            self.model.file_size_min = _whole(size_min)
        if size_max != -1:
            self.model.file_size_max = _whole(size_max)

    def setMultiHost(
        self,
        h_min: int,
        h_max: int,
        h_max_wait: int,
        master_on_slave: bool = False,
        service: Optional[str] = None,
        service_wait: int = -1,
    ) -> bool:
        """Run each task on ``h_min..h_max`` hosts at once, waiting ``h_max_wait`` s for them."""
        if h_min < 1 or h_max < h_min or (master_on_slave and not service):
            _warn(
                f"Block.setMultiHost({h_min}, {h_max}, ...) ignored: it needs 1 <= min <= max, "
                "and a service when the master runs on a slave."
            )
            return False
        self.model.set_flag(model.BlockFlags.MULTIHOST)
        self.model.set_flag(model.BlockFlags.MASTER_ON_SLAVE, bool(master_on_slave))
        self.model.multihost_min, self.model.multihost_max = _whole(h_min), _whole(h_max)
        self.model.multihost_max_wait = _whole(h_max_wait)
        if service:
            self.model.multihost_service = service
        if service_wait > 0:
            self.model.multihost_service_wait = _whole(service_wait)
        return True

    def setSlaveLostIgnore(self) -> None:
        """Keep a multihost task running when one of its slave hosts is lost."""
        if not self.model.flags & model.BlockFlags.MULTIHOST:
            _warn("Block.setSlaveLostIgnore() ignored: call setMultiHost() first.")
            return
        self.model.set_flag(model.BlockFlags.SLAVE_LOST_IGNORE)

    def _assembled(self) -> model.Block:
        return dataclasses.replace(self.model, tasks=[task.model for task in self.tasks])


#: Parsers of CGRU's services whose parser is not named like the service (3.4.1).
_PARSERS = {"maya": "", "movgen": "generic", "postcmd": ""}

#: What ``setNativeOS()`` asks for, as CGRU names the platforms.
_NATIVE_OS = (
    "windows"
    if sys.platform.startswith("win")
    else ("macosx" if sys.platform == "darwin" else "linux")
)


class Job(_CommandsAndLimits):
    """A job of blocks (``job.blocks``); ``send()`` gives ``(True, reply)`` or ``(False, None)``."""

    def __init__(self, jobname: Optional[str] = None) -> None:
        settings = _settings()
        self.model = model.Job(
            name=jobname or "noname",
            user_name=settings.user_name,
            host_name=settings.host_name,
            priority=settings.priority,
        )
        self.blocks: list[Block] = []

    def setUserName(self, username: str) -> None:
        """Set the user the job belongs to (lower case, as Afanasy user names are)."""
        if username:
            self.model.user_name = username.lower()

    def setPriority(self, priority: int) -> None:
        """Set the priority, 0..250 (above 250 is clamped, as in CGRU)."""
        priority = _whole(priority)
        if priority < 0:
            _warn(f"Job.setPriority({priority}) ignored: the priority is 0..250.")
            return
        if priority > 250:
            _warn(f"Job.setPriority({priority}): clamped to the maximum, 250.")
            priority = 250
        self.model.priority = priority

    def setTimeLife(self, value: Union[int, str]) -> None:
        """Delete the job ``value`` seconds after it was created."""
        self.model.time_life = _whole(value)

    def setFolder(self, i_name: str, i_folder: str, i_transferToServer: bool = True) -> None:
        """Name a folder of the job (``output``, ``input``...), shown and opened by the GUIs."""
        self.model.folders[i_name] = _to_farm(i_folder, i_transferToServer)

    def setBranch(self, i_branch: str, i_transferToServer: bool = True) -> None:
        """Set the branch the job is shown under (a path)."""
        self.model.branch = _to_farm(i_branch, i_transferToServer)

    def setPools(self, i_pools: dict[str, int]) -> None:
        """Set the render pools and their weights: ``{"farm": 10}``."""
        self.model.pools = {name: _whole(weight) for name, weight in i_pools.items()}

    def setPostDeleteFiles(self, i_path: str, TransferToServer: bool = True) -> None:
        """Delete ``i_path`` when the job is deleted (a post command, the path quoted)."""
        self.model.command_post = join_command(["deletefiles", _to_farm(i_path, TransferToServer)])

    def setNativeOS(self) -> None:
        """Run only on render clients of this machine's operating system."""
        self.model.need_os = _NATIVE_OS

    def setAnyOS(self) -> None:
        """Run on render clients of any operating system."""
        self.model.need_os = ""

    setAnnotation = _value_setter("annotation")
    setDescription = _value_setter("description")
    setProject = _value_setter("project")
    setDepartment = _value_setter("department")
    setWaitTime = _value_setter("time_wait", _epoch_seconds)
    setDependMaskGlobal = _value_setter("depend_mask_global")
    setNeedOS = _value_setter("need_os")
    setPPApproval = _switch("ppa", "Hold the job for approval before its post-processing.")
    setMaintenance = _switch("maintenance", "Make it a maintenance job (runs on every host).")
    setIgnoreNimby = _switch("ignorenimby", "Also run on render clients in nimby mode.")
    setIgnorePaused = _switch("ignorepaused", "Also run on paused render clients.")
    offline = offLine = setOffline = pause = setPaused = _switch(
        "offline", "Start the job paused (offline): it waits until someone starts it."
    )

    def output(self, output_blocks: bool = False) -> None:
        """Print the JSON ``send()`` would send; ``output_blocks`` adds a line per block."""
        job = self._assembled()
        print(job.to_json(indent=4))
        if output_blocks:
            for index, block in enumerate(job.blocks):
                print(
                    f"blocks[{index}] {block.name!r}: {block.service}, {block.task_count()} task(s)"
                )

    def send(self, verbose: bool = False) -> tuple[bool, Optional[dict[str, int]]]:
        """Validate and send the job: ``(True, {"id": .., "serial": ..})`` or ``(False, None)``.

        Nothing invalid is sent (the problems are printed); when the server
        cannot be reached the job is kept in the outbox, and the message says
        where and how to send it later.
        """
        settings = _settings()
        try:
            result = deliver(
                self._assembled(), Client.from_config(settings), Outbox.from_config(settings)
            )
        except AfanasyError as error:
            print(f"Error: {error}", file=sys.stderr)
            return False, None
        reply = {"id": result.id, "serial": result.serial}
        if verbose:
            print(f"Job {self.model.name!r} sent to {settings.server_host}: {reply}")
        return True, reply

    def _assembled(self) -> model.Job:
        """The job as it is sent, with what CGRU's ``send()`` fills in: folders and branch."""
        blocks = [block._assembled() for block in self.blocks]
        job = dataclasses.replace(self.model, blocks=blocks)
        if not job.folders:
            job.folders = {block.name: _output_folder(block) for block in blocks if block.files}
        if not job.branch and blocks:
            folders = job.folders
            job.branch = (
                folders.get("output") or folders.get("input") or blocks[0].working_directory
            )
        return job


def _output_folder(block: model.Block) -> str:
    """Where a block's first file goes, seen from its working directory."""
    folder = os.path.dirname(block.files[0])
    return os.path.join(block.working_directory, folder) if folder else block.working_directory
