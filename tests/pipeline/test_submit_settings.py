"""Submit settings: validated as typed, remembered per user and per scene, locked by the site."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from afcore.config import Config
from afcore.errors import ConfigError
from afcore.scene import RenderTarget
from afcore.settings import (
    SettingsStore,
    SubmitSettings,
    TargetOverride,
    locked_fields,
    site_settings,
    validate_settings,
)

SCENE = "/shots/sh010/comp.nk"
OTHER_SCENE = "/shots/sh020/comp.nk"


def site(**submit) -> Config:
    return Config(user_name="jimmy", host_name="ws01", submit=submit)


@pytest.fixture
def store(tmp_path: Path) -> SettingsStore:
    return SettingsStore(tmp_path / "config" / "submit_settings.json", tmp_path / "scenes")


# --- site defaults and locks -------------------------------------------------------------------


def test_site_defaults_replace_the_built_in_ones() -> None:
    settings = site_settings(site(priority=50, hosts_mask="gpu.*", need_memory_gb=8))
    assert (settings.priority, settings.hosts_mask, settings.need_memory_gb) == (50, "gpu.*", 8.0)
    assert settings.frames_per_task == 1


def test_a_misspelt_or_mistyped_site_default_is_a_config_error_naming_it() -> None:
    with pytest.raises(ConfigError) as caught:
        site_settings(site(priorty=50, frames_per_task="ten"))
    message = str(caught.value)
    assert "submit.priorty: unknown setting" in message
    assert "submit.frames_per_task: expected a whole number, got 'ten'" in message


def test_the_site_may_lock_only_fields_that_exist() -> None:
    assert locked_fields(site(locked=["priority", "hosts_mask"])) == {"priority", "hosts_mask"}
    with pytest.raises(ConfigError, match="unknown setting.*prio"):
        locked_fields(site(locked=["prio"]))
    with pytest.raises(ConfigError, match="must be a list of setting names"):
        locked_fields(site(locked="priority"))


# --- remembering -------------------------------------------------------------------------------


def test_with_nothing_remembered_the_site_defaults_apply(store: SettingsStore) -> None:
    assert store.load(site(priority=70), "nuke", SCENE) == SubmitSettings(priority=70)


def test_the_users_last_values_win_over_the_site_defaults(store: SettingsStore) -> None:
    config = site(priority=70, frames_per_task=5)
    store.save(SubmitSettings(priority=120, frames_per_task=5, hosts_mask="fast.*"), config, "nuke")
    loaded = store.load(config, "nuke", OTHER_SCENE)
    assert (loaded.priority, loaded.hosts_mask) == (120, "fast.*")


def test_the_users_last_values_are_kept_per_dcc(store: SettingsStore) -> None:
    config = site()
    store.save(SubmitSettings(frames_per_task=10), config, "nuke")
    store.save(SubmitSettings(frames_per_task=1), config, "maya")
    assert store.load(config, "nuke").frames_per_task == 10
    assert store.load(config, "maya").frames_per_task == 1


def test_a_scenes_settings_win_over_the_users_last_values(store: SettingsStore) -> None:
    config = site()
    store.save(SubmitSettings(priority=30, job_name="sh010 comp"), config, "nuke", SCENE)
    store.save(SubmitSettings(priority=200), config, "nuke", OTHER_SCENE)
    this_scene = store.load(config, "nuke", SCENE)
    assert (this_scene.priority, this_scene.job_name) == (30, "sh010 comp")
    assert store.load(config, "nuke", OTHER_SCENE).priority == 200
    assert store.load(config, "nuke", "/shots/sh030/new.nk").priority == 200


def test_job_name_and_target_overrides_stay_with_their_scene(store: SettingsStore) -> None:
    config = site()
    overrides = {"Write1": TargetOverride(frames="1-10", frames_per_task=2, enabled=False)}
    store.save(SubmitSettings(job_name="sh010", overrides=overrides), config, "nuke", SCENE)
    fresh = store.load(config, "nuke", OTHER_SCENE)
    assert (fresh.job_name, fresh.overrides) == ("", {})
    again = store.load(config, "nuke", SCENE)
    assert again.overrides == overrides


def test_a_wait_until_time_is_never_remembered(store: SettingsStore) -> None:
    store.save(SubmitSettings(wait_until="2030-01-01 20:00"), site(), "nuke", SCENE)
    assert store.load(site(), "nuke", SCENE).wait_until == ""


def test_a_locked_field_always_takes_the_site_value(store: SettingsStore) -> None:
    open_site = site(priority=50)
    store.save(SubmitSettings(priority=250, hosts_mask="mine.*"), open_site, "nuke", SCENE)
    locked_site = site(priority=50, locked=["priority"])
    loaded = store.load(locked_site, "nuke", SCENE)
    assert (loaded.priority, loaded.hosts_mask) == (50, "mine.*")


def test_a_field_locked_without_a_site_value_keeps_the_built_in_default(
    store: SettingsStore,
) -> None:
    store.save(SubmitSettings(start_paused=True), site(), "nuke")
    assert store.load(site(locked=["start_paused"]), "nuke").start_paused is False


def test_saving_never_writes_a_locked_field(store: SettingsStore) -> None:
    config = site(priority=50, locked=["priority"])
    store.save(SubmitSettings(priority=250, frames_per_task=4), config, "nuke", SCENE)
    remembered = json.loads(store.user_file.read_text())["nuke"]
    assert "priority" not in remembered and remembered["frames_per_task"] == 4
    scene = json.loads(store.scene_file(SCENE).read_text())["settings"]
    assert "priority" not in scene
    # Unlocked later, the artist's old choice does not come back from the files.
    assert store.load(site(priority=50), "nuke", SCENE).priority == 50


def test_damaged_or_outdated_remembered_values_are_skipped_not_fatal(
    store: SettingsStore,
) -> None:
    store.user_file.parent.mkdir(parents=True)
    store.user_file.write_text('{"nuke": {"priority": "high", "old_field": 1, "hosts_mask": "a"}}')
    assert store.load(site(), "nuke") == SubmitSettings(hosts_mask="a")
    store.user_file.write_text("{ half a file")
    assert store.load(site(priority=70), "nuke") == SubmitSettings(priority=70)


def test_the_default_store_lives_in_the_users_config_and_data_folders(
    isolated_environment: Path,
) -> None:
    store = SettingsStore.default()
    assert store.user_file == isolated_environment / ".config" / "afcore" / "submit_settings.json"
    assert store.scene_dir == isolated_environment / ".local" / "share" / "afcore" / "scenes"


# --- effective per-target values --------------------------------------------------------------


def test_per_target_values_come_from_the_artist_then_the_host_then_the_job() -> None:
    target = RenderTarget("Write1", frames="1-100", selected=False, frames_per_task=5)
    plain = SubmitSettings(frames_per_task=10)
    assert (plain.frames_for(target), plain.frames_per_task_for(target)) == ("1-100", 5)
    assert plain.is_selected(target) is False
    changed = SubmitSettings(
        overrides={"Write1": TargetOverride(frames="1-10", frames_per_task=2, enabled=True)}
    )
    assert changed.frames_for(target) == "1-10"
    assert changed.frames_per_task_for(target) == 2
    assert changed.is_selected(target) is True


# --- validation --------------------------------------------------------------------------------

NOW = datetime(2026, 11, 23, 12, 0)


def test_the_defaults_are_valid() -> None:
    assert validate_settings(SubmitSettings(), NOW) == []


@pytest.mark.parametrize(
    ("values", "where", "message"),
    [
        ({"priority": 251}, "priority", "out of range: use 0 to 250"),
        ({"priority": -1}, "priority", "out of range"),
        ({"frames_per_task": 0}, "frames_per_task", "too small"),
        ({"capacity": 0}, "capacity", "too small"),
        ({"need_memory_gb": -1.0}, "need_memory_gb", "too small"),
        ({"errors_retries": -2}, "errors_retries", "too small"),
        ({"max_running_tasks": 0}, "max_running_tasks", "would never run a task"),
        ({"max_running_tasks_per_host": 0}, "max_running_tasks_per_host", "never run"),
        ({"life_time_hours": 0.0}, "life_time_hours", "too short"),
        ({"task_max_run_time_minutes": -5.0}, "task_max_run_time_minutes", "too short"),
        ({"hosts_mask": "render[0-9"}, "hosts_mask", "not a valid regular expression"),
        ({"hosts_mask_exclude": "(a"}, "hosts_mask_exclude", "not a valid regular expression"),
        ({"depend_mask": "*x"}, "depend_mask", "not a valid regular expression"),
        ({"depend_mask_global": "a)"}, "depend_mask_global", "not a valid regular"),
        ({"need_os": "lin[ux"}, "need_os", "not a valid regular expression"),
        ({"need_properties": "+"}, "need_properties", "not a valid regular expression"),
        ({"dependency_mode": "frames"}, "dependency_mode", "not one of block, frame, none"),
        ({"wait_until": "tomorrow"}, "wait_until", "write it as YYYY-MM-DD HH:MM"),
        ({"wait_until": "2026-11-22 20:00"}, "wait_until", "in the past"),
        ({"job_name": "two\nlines"}, "job_name", "one line"),
        (
            {"overrides": {"Write1": TargetOverride(frames="1-x")}},
            "overrides[Write1].frames",
            "expected a number at column 3",
        ),
        (
            {"overrides": {"Write1": TargetOverride(frames_per_task=0)}},
            "overrides[Write1].frames_per_task",
            "too small",
        ),
    ],
)
def test_each_bad_value_is_reported_at_its_field(values: dict, where: str, message: str) -> None:
    (problem,) = validate_settings(SubmitSettings(**values), NOW)
    assert problem.where == where
    assert message in problem.message


def test_sensible_values_pass() -> None:
    settings = SubmitSettings(
        priority=250,
        max_running_tasks=-1,
        hosts_mask="render0[1-9]|gpu.*",
        wait_until="2026-11-23 20:00",
        life_time_hours=0.5,
        overrides={"Write1": TargetOverride(frames="1-10x2,20")},
    )
    assert validate_settings(settings, NOW) == []
