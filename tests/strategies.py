"""Hypothesis settings and strategies for the safety properties (imported by the property tests).

The profile is deterministic (``derandomize=True``: the same examples on every
run and machine), has no deadline (CI machines vary) and keeps no example
database (failures are reproduced from the fixed seed, not from a stored example). ``KNEETRIAGE_HYPOTHESIS_SCALE``
multiplies every example budget for a longer local run, e.g. ``=20``, and
``HYPOTHESIS_PROFILE=kneetriage-explore`` draws fresh random examples each run.

Cases are generated from the shipped knowledge base's findings, so the
properties cover the whole answer space as the knowledge base grows: every
finding may be absent (not asked), ``null`` (not sure) or any allowed value.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from kneetriage import knowledge

settings.register_profile(
    "kneetriage-ci",
    derandomize=True,
    deadline=None,
    database=None,
    max_examples=200,
    suppress_health_check=[HealthCheck.too_slow],
)
# For a local search beyond the fixed examples: new random examples on every run.
settings.register_profile("kneetriage-explore", parent=settings.get_profile("kneetriage-ci"), derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "kneetriage-ci"))

SCALE = max(1, int(os.environ.get("KNEETRIAGE_HYPOTHESIS_SCALE", "1")))
CHEAP = settings(max_examples=200 * SCALE)  # the pure core: about a millisecond an example
CLI = settings(max_examples=60 * SCALE)  # a whole CLI run in-process: a few milliseconds an example
RENDER = settings(max_examples=30 * SCALE)  # a rich table drawn: tens of milliseconds an example

KB = knowledge.load()
RED_FLAGS = KB.red_flags


def finding_value(finding) -> st.SearchStrategy:
    """Any answer the contract allows for one finding, "not sure" (None) included."""
    if finding.type == "boolean":
        known = st.booleans()
    elif finding.type == "integer":
        known = st.integers(finding.min, finding.max)
    else:
        known = st.sampled_from(finding.choice_values)
    return st.none() | known


def answers() -> st.SearchStrategy[dict]:
    """Any valid answers object: each finding absent, null or an allowed value."""
    return st.fixed_dictionaries({}, optional={f.id: finding_value(f) for f in KB.findings})


def red_flags_mostly_no() -> st.SearchStrategy[dict]:
    """Valid answers in which every red flag is answered, mostly "no" (what the interview usually saves)."""
    flags = st.fixed_dictionaries({f: st.sampled_from((False, False, False, True)) for f in RED_FLAGS})
    return st.tuples(answers(), flags).map(lambda pair: pair[0] | pair[1])


def cases() -> st.SearchStrategy[dict]:
    """Any valid answers, half the time with every red flag answered (so "no" is as common as unasked)."""
    return answers() | red_flags_mostly_no()


# Any JSON value, as a hostile or careless script might send: non-objects, nesting,
# huge and negative numbers, floats (NaN and Infinity are written as the non-standard
# literals Python's json emits), unicode and control characters in keys and strings.
json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(10**300), max_value=10**300)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(), inner, max_size=5),
    max_leaves=20,
)


def answer_like_objects() -> st.SearchStrategy[dict]:
    """Objects whose keys are mostly real finding ids but whose values may be anything, valid or not."""
    keys = st.sampled_from([f.id for f in KB.findings]) | st.text(max_size=30)
    values = st.one_of([finding_value(f) for f in KB.findings]) | json_values
    return st.dictionaries(keys, values, max_size=12)
