"""Shared fixtures: the shipped knowledge base, a CLI runner, and the case files."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kneetriage import knowledge
from kneetriage.cli import app

DATA = Path(__file__).parent / "data"


# Warning signs added in interface 1.1. Cases written before it leave them out, so the result lists
# them as not checked (and holds back home care); tests that mean "every warning sign answered no" add these.
RED_FLAGS_1_1 = ("foot_weak", "fainted", "cannot_bend_90")


def all_flags_checked(answers: dict) -> dict:
    """A 1.0 case's answers with the 1.1 warning signs answered "no" where the case does not give them."""
    return {**dict.fromkeys(RED_FLAGS_1_1, False), **answers}


def all_answered(answers: dict) -> dict:
    """A case's answers with every yes/no question it does not mention answered "no", as the simulated person
    of `evaluate --interview` answers them. Without that, a question that could make the result more urgent
    (a blood thinner, calf pain on exercise, a long cramp) is missing and the result is never home care."""
    kb = knowledge.load()
    return {**{f.id: False for f in kb.findings if f.type == "boolean"}, **answers}


def read_cases(name: str) -> list[dict]:
    with open(DATA / name, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@pytest.fixture(scope="session")
def kb():
    return knowledge.load()


@pytest.fixture(autouse=True)
def _plain_environment(monkeypatch):
    """Deterministic output: no colour forcing, a fixed width, the default region."""
    for var in ("NO_COLOR", "FORCE_COLOR", "KNEETRIAGE_REGION", "COLUMNS", "LINES"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("COLUMNS", "100")


class Run:
    """Run the CLI in-process and keep what a user would see."""

    def __init__(self):
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | bytes | None = None, env: dict | None = None):
        return self.runner.invoke(app, list(args), input=input, env=env, catch_exceptions=False)


@pytest.fixture
def run():
    return Run()


@pytest.fixture
def answers_file(tmp_path):
    """Write an answers object to a file and return its path."""

    def write(answers: dict | str | bytes, name: str = "answers.json") -> str:
        p = tmp_path / name
        if isinstance(answers, bytes):
            p.write_bytes(answers)
        elif isinstance(answers, str):
            p.write_text(answers, encoding="utf-8")
        else:
            p.write_text(json.dumps(answers), encoding="utf-8")
        return os.fspath(p)

    return write
