"""The safety specification: minimal presentations and the urgency guidance says each must reach.

``data/safety_spec.json`` is reviewed apart from the knowledge base. Each line is
a presentation (the answers that matter; every other yes/no question is
answered "no", unless the line says ``"fill": "none"``), the least urgent level it may get, for calm presentations the
most urgent, the causes that must be among the first three, whether the home
soft-tissue plan must be withheld or given, and the guidance line it rests on.
``kneetriage check`` runs every line against the knowledge base it checks and
refuses one under which any line fails, so a rule cannot be weakened without a
change to this reviewed file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal, Union

import msgspec
from msgspec import Meta, Struct, field

from . import engine
from .errors import UsageError
from .knowledge import Id, KnowledgeBase, Level, Text, rank

Value = Union[bool, int, str, None]  # noqa: UP007 (a runtime alias: msgspec reads it on Python 3.10)


class _Base(Struct, frozen=True, forbid_unknown_fields=True, omit_defaults=True):
    pass


class Guidance(_Base):
    title: Text  # the source, as a reader would look it up
    url: Annotated[str, Meta(pattern=r"^https?://")]
    line: Text  # what it says, in our own words


LineId = Annotated[str, Meta(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)]


class Presentation(_Base):
    id: LineId
    answers: dict[str, Value]  # null: asked, "not sure" (stays missing; the fill does not touch it)
    at_least: Level  # the least urgent level allowed
    guidance: Guidance
    at_most: Level | None = None  # the most urgent level allowed, for calm presentations
    shows: tuple[Id, ...] = ()  # causes that must be among the first three
    soft_tissue: Literal["withheld", "given"] | None = None  # the POLICE plan and HARM list
    child: bool | None = None  # whether the result must say the adult ranking does not simply apply
    not_checked: tuple[Id, ...] = ()  # missing answers the result must list as not checked
    # "no": every yes/no question the line does not give is answered no; "none": only the line's answers
    # are given (a sparse answers file, as a script may send).
    fill: Literal["no", "none"] = "no"


class Spec(_Base):
    version: Text
    about: Text
    presentations: tuple[Presentation, ...]
    schema: str | None = field(default=None, name="$schema")


def json_schema() -> dict:
    """The JSON Schema of a specification file; data/safety_spec.schema.json is this, for editors."""
    schema = msgspec.json.schema(Spec)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "kneetriage safety specification"
    return schema


def default_path() -> Path:
    """The specification shipped in the package (or, in a source checkout, the top-level data/)."""
    here = Path(__file__).resolve().parent
    shipped = here / "data" / "safety_spec.json"
    return shipped if shipped.exists() else here.parent / "data" / "safety_spec.json"


def load(path: str | Path | None = None) -> Spec:
    p = Path(path) if path is not None else default_path()
    try:
        return msgspec.json.decode(p.read_bytes(), type=Spec)
    except (OSError, msgspec.DecodeError) as e:
        raise UsageError(f"safety specification {p.name}: {e}; reinstall kneetriage or fix the file") from None


def answers_for(kb: KnowledgeBase, line: Presentation) -> dict:
    """The full answers of a line: its own, and (unless its fill is "none") "no" to every other yes/no question."""
    if line.fill == "none":
        return dict(line.answers)
    filled: dict = {f.id: False for f in kb.findings if f.type == "boolean"}
    filled.update(line.answers)
    return filled


def failure(kb: KnowledgeBase, line: Presentation) -> str | None:
    """What a line got against what it must reach, or None when it holds."""
    from . import answers as answers_module

    try:
        answers = answers_module.check(kb, answers_for(kb, line), f"safety line '{line.id}'")
    except UsageError as e:
        return f"its answers do not fit this knowledge base ({e.message})"
    result = engine.triage(kb, answers)
    level = result.urgency.level
    if rank(level) > rank(line.at_least):
        return f"urgency {level}, must be at least {line.at_least}"
    if line.at_most is not None and rank(level) < rank(line.at_most):
        return f"urgency {level}, must be at most {line.at_most}"
    first3 = [rc.id for rc in result.causes[:3]]
    missing = [c for c in line.shows if c not in first3]
    if missing:
        return f"first three causes {', '.join(first3)}, must include {', '.join(missing)}"
    if line.soft_tissue == "withheld" and result.soft_tissue_plan:
        return "the home soft-tissue plan (ice, compression, exercise) is given, must be withheld"
    if line.soft_tissue == "withheld" and not result.soft_tissue_withheld:
        return "nothing withholds the home soft-tissue plan (ice, compression, massage), must be withheld"
    if line.soft_tissue == "given" and not result.soft_tissue_plan:
        return "the home soft-tissue plan is not given, must be given"
    if line.child is not None and bool(result.child) != line.child:
        return f"child flag {bool(result.child)}, must be {line.child}"
    unlisted = [f for f in line.not_checked if f not in result.not_checked]
    if unlisted:
        return f"not listed as not checked: {', '.join(unlisted)}"
    return None


def failures(kb: KnowledgeBase, spec: Spec | None = None) -> list[tuple[Presentation, str]]:
    spec = spec or load()
    out = []
    for line in spec.presentations:
        problem = failure(kb, line)
        if problem:
            out.append((line, problem))
    return out


def enforce(kb: KnowledgeBase, name: str) -> int:
    """Raise a one-line UsageError naming the first line that fails; return the number of lines checked."""
    spec = load()
    failed = failures(kb, spec)
    if failed:
        line, problem = failed[0]
        more = f" (and {len(failed) - 1} more)" if len(failed) > 1 else ""
        raise UsageError(
            f"knowledge base {name} fails safety line '{line.id}': {problem}{more}; guidance: "
            f"{line.guidance.title}: {line.guidance.line}"
        )
    return len(spec.presentations)
