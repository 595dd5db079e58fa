"""The README and docs/ are self-contained and complete: links resolve inside the repository, every
command and option is documented, every module is in the layout, every public id is in the interface."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer.main

from kneetriage import knowledge
from kneetriage.cli import app

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
KB = knowledge.load()


def text_of(*pages: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in pages)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_relative_link_resolves_inside_the_repository(page):
    for target in LINK.findall(page.read_text(encoding="utf-8")):
        if re.match(r"[a-z]+:", target) or target.startswith("#"):
            continue
        path = (page.parent / target.split("#", 1)[0]).resolve()
        assert path.is_relative_to(ROOT), f"{page.name}: {target} points outside the repository"
        assert path.exists(), f"{page.name}: {target} does not exist"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_nothing_points_outside_the_repository(page):
    text = page.read_text(encoding="utf-8")
    workshop = "/".join(("..", "shared"))  # spelt in parts, so this file does not itself point there
    assert workshop not in text and "/work/" not in text


def commands() -> list:
    """(name, command) for every command of the app, as Typer builds them."""
    return sorted(typer.main.get_command(app).commands.items())


def test_every_command_and_option_is_documented():
    docs = text_of(*PAGES)
    group = typer.main.get_command(app)
    for param in group.params:
        for opt in param.opts:
            if opt.startswith("--") and opt != "--help":
                assert opt in docs, opt
    assert commands(), "the app has commands"
    for name, command in commands():
        assert f"kneetriage {name}" in docs, name
        for param in command.params:
            for opt in param.opts:
                if opt.startswith("--") and opt != "--help":
                    assert re.search(rf"{re.escape(opt)}\b", docs), f"{name} {opt}"


def test_the_layout_lists_every_module():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    layout = readme.split("Layout (every module", 1)[1]
    for path in sorted((ROOT / "kneetriage").rglob("*.py")):
        name = path.relative_to(ROOT / "kneetriage").as_posix()
        assert f"`{name}`" in layout, name


def test_the_interface_names_every_public_id():
    interface = (ROOT / "docs" / "interface.md").read_text(encoding="utf-8")
    for ident in [f.id for f in KB.findings] + [c.id for c in KB.causes] + list(knowledge.LEVELS):
        assert f"`{ident}`" in interface, ident
    for f in KB.findings:
        for c in f.choices:
            assert f"`{c.value}`" in interface, (f.id, c.value)
    for region in KB.regions:
        assert f"`{region.id}`" in interface
