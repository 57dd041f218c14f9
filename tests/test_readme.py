"""The README's commands run as written: every make target and atlas command it names exists."""

import re

import pytest

from atlas.paths import ROOT
from atlas.console import cli

README = (ROOT / "README.md").read_text(encoding="utf-8")
MAKEFILE = (ROOT / "Makefile").read_text(encoding="utf-8")


def test_readme_starts_with_the_two_commands():
    first_block = README.split("```sh", 1)[1].split("```", 1)[0]
    assert "make run" in first_block and "make test" in first_block


@pytest.mark.parametrize("target", sorted({a or b for a, b in re.findall(r"`make ([a-z-]+)|^make ([a-z-]+)", README, re.MULTILINE)}))
def test_make_targets_named_in_readme_exist(target):
    assert re.search(rf"^{re.escape(target)}:", MAKEFILE, re.MULTILINE), target


@pytest.mark.parametrize("command", sorted(set(re.findall(r"bin/atlas ([a-z][a-z-]*)", README))))
def test_atlas_commands_named_in_readme_exist(app, command):
    ctx = cli.make_context("atlas", ["--help"], resilient_parsing=True)
    assert command in cli.list_commands(ctx), command


def test_ci_runs_the_readme_test_command():
    assert "make test" in (ROOT / ".ci" / "run").read_text()
