"""The suite itself: it reads nothing outside the repository and writes nothing into the checkout."""

from __future__ import annotations

import re
from pathlib import Path

import strategies  # noqa: F401 (loads the suite's Hypothesis profile, as every property test does)
from hypothesis import settings
from hypothesis.configuration import storage_directory

REPO = Path(__file__).resolve().parents[1]
TESTS = REPO / "tests"

# What building a path outside the repository looks like in a test: an absolute path into the
# workshop, the folder beside the checkout, or walking up past the repository root.
OUTSIDE = re.compile(r"""Path\(\s*["'](?:/work/|\.\./)|/\s*["']shared["']|parents\[[2-9]\]|\.\./shared/""")


def test_no_test_reads_outside_the_repository():
    found = [
        f"{path.name}:{number}: {line.strip()}"
        for path in sorted(TESTS.glob("*.py"))
        if path.name != "test_hygiene.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if OUTSIDE.search(line)
    ]
    assert found == []


def test_the_hygiene_pattern_catches_what_it_is_for():
    workshop = "/".join(("..", "shared"))  # spelt in parts, so this file does not itself point there
    for line in (
        'SHARED = Path("/work/' + 'shared/vignettes/public.jsonl")',
        'FALLBACK = REPO.parent / "shared" / "vignettes" / "public.jsonl"',
        'TOOL = Path(__file__).resolve().parents[2] / "tools"',
        f'open("{workshop}/contract.md")',
    ):
        assert OUTSIDE.search(line), line
    for line in ('DATA = Path(__file__).parent / "data"', f'assert "{workshop}" not in text'):
        assert not OUTSIDE.search(line), line


def test_the_case_files_the_tests_use_are_in_the_repository():
    for name in ("public_cases.jsonl", "sheet_cases.jsonl", "own_cases.jsonl"):
        path = TESTS / "data" / name
        assert path.is_file() and path.stat().st_size > 0, f"{path} is missing: tests fail rather than skip"


def test_hypothesis_writes_nothing_into_the_checkout():
    """No example database, and the cache it keeps anyway lives in a temporary folder."""
    assert settings.get_profile("kneetriage-ci").database is None and settings().database is None
    home = storage_directory("anything", intent_to_write=False).home_directory.resolve()
    assert not home.is_relative_to(REPO), home
    assert not (Path.cwd() / ".hypothesis").exists() or not Path.cwd().resolve().is_relative_to(REPO)
