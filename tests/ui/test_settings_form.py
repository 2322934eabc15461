"""The settings form: every setting has a labelled, explained editor; wrong values are marked."""

from __future__ import annotations

import dataclasses

import pytest

from afcore.errors import Problem
from afcore.settings import SubmitSettings, validate_settings
from afcore.ui.settings_form import FIELDS, GROUPS, SettingsForm, label_of


@pytest.fixture
def form(qtbot) -> SettingsForm:
    settings = SubmitSettings(priority=120, need_memory_gb=1.5, start_paused=True)
    widget = SettingsForm(settings, locked={"hosts_mask"}, defaults={"job_name": "comp"})
    qtbot.addWidget(widget)
    return widget


def read(form: SettingsForm) -> tuple[SubmitSettings, list[Problem]]:
    settings, unreadable = form.settings(SubmitSettings())
    return settings, unreadable + validate_settings(settings)


def test_every_setting_but_the_overrides_has_an_editor_in_one_of_three_tabs(form):
    fields = {f.name for f in dataclasses.fields(SubmitSettings)} - {"overrides"}
    assert set(FIELDS) == fields
    assert sum(len(specs) for specs in GROUPS.values()) == len(fields)  # each field once
    assert [form.tabText(i) for i in range(form.count())] == ["General", "Farm", "Advanced"]
    for name, spec in FIELDS.items():
        assert form.editor(name).toolTip() == spec.tooltip or name == "hosts_mask"
        assert spec.tooltip.strip() and spec.label.strip()


def test_the_form_shows_the_settings_it_was_given_and_reads_them_back(form):
    assert form.editor("priority").text() == "120"
    assert form.editor("need_memory_gb").text() == "1.5"
    assert form.editor("start_paused").isChecked()
    assert form.editor("job_name").placeholderText() == "comp"
    settings, problems = read(form)
    assert problems == []
    assert (settings.priority, settings.need_memory_gb, settings.start_paused) == (120, 1.5, True)


def test_typing_announces_each_change(form, qtbot):
    with qtbot.waitSignal(form.changed, timeout=100):
        qtbot.keyClicks(form.editor("annotation"), "x")
    with qtbot.waitSignal(form.changed, timeout=100):
        form.editor("separate_jobs").setChecked(True)
    with qtbot.waitSignal(form.changed, timeout=100):
        form.editor("dependency_mode").setCurrentText("frame")
    settings, _ = read(form)
    assert (settings.annotation, settings.separate_jobs, settings.dependency_mode) == (
        "x",
        True,
        "frame",
    )


def test_an_empty_optional_number_means_the_farm_decides(form, qtbot):
    form.editor("priority").clear()
    qtbot.keyClicks(form.editor("max_running_tasks"), "")
    settings, problems = read(form)
    assert (settings.priority, settings.max_running_tasks, problems) == (None, None, [])


@pytest.mark.parametrize(
    ("field", "text", "message", "fixed"),
    [
        ("priority", "high", "'high' is not a whole number", "200"),
        ("need_memory_gb", "lots", "'lots' is not a number", "2.5"),
        ("need_memory_gb", "nan", "'nan' is not a number", ""),
        ("frames_per_task", "", "needs a value", "5"),
        ("priority", "300", "300 is out of range: use 0 to 250", "250"),
        ("hosts_mask_exclude", "render[0-", "not a valid regular expression", "render[0-9]"),
        ("wait_until", "tomorrow", "write it as YYYY-MM-DD HH:MM", "2999-01-01 20:00"),
    ],
)
def test_a_wrong_value_is_marked_under_its_field_with_the_reason(
    form, qtbot, field, text, message, fixed
):
    editor = form.editor(field)
    editor.clear()
    qtbot.keyClicks(editor, text)
    _, problems = read(form)
    form.show_problems(problems)
    assert message in form.error_text(field)
    assert message in editor.toolTip()
    assert "border" in editor.styleSheet()
    editor.setText(fixed)
    _, problems = read(form)
    form.show_problems(problems)
    assert form.error_text(field) == ""
    assert editor.toolTip() == FIELDS[field].tooltip
    assert editor.styleSheet() == ""


def test_an_unreadable_field_keeps_the_last_good_value_so_the_rest_still_previews(form):
    form.editor("priority").setText("12x")
    form.editor("annotation").setText("new")
    settings, unreadable = form.settings(SubmitSettings(priority=50))
    assert (settings.priority, settings.annotation) == (50, "new")
    assert unreadable == [Problem("priority", "'12x' is not a whole number")]


def test_a_field_the_site_locked_cannot_be_edited_and_says_why(form):
    editor = form.editor("hosts_mask")
    assert not editor.isEnabled()
    assert editor.toolTip().startswith("Locked by your site's configuration.")


def test_problems_are_told_with_the_forms_labels():
    assert label_of("hosts_mask") == "Hosts mask"
    assert label_of("something_else") == "something_else"
