"""Words said in more than one place, said once: the safety wordings and the regions' placeholders.

Texts in the knowledge base name services through placeholders that the
region fills in (``{emergency}``, ``{urgent}``, ``{ed}``, ``{gp}``), so a
person in the US never reads "A&E" or "999". :func:`check_texts` is what
``kneetriage check`` uses to refuse an unknown placeholder, or a literal
service name where a placeholder belongs. Nothing here imports rich.
"""

from __future__ import annotations

import re

# Placeholder -> the Region field that fills it.
PLACEHOLDERS = {"emergency": "emergency", "urgent": "urgent", "ed": "ed", "gp": "gp"}
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
# Literal wordings that must be a placeholder instead (each region says its own).
LITERALS = {
    "A&E": "{ed}",
    "999": "{emergency}",
    "NHS": "{urgent}",
    "the emergency number": "{emergency}",
    "the urgent-care line": "{urgent}",
}
_LITERAL = re.compile("|".join(rf"(?<![\w&]){re.escape(w)}(?![\w&])" for w in LITERALS), re.IGNORECASE)

# ------------------------------------------------------------------ safety wordings (each exists once)

NOT_A_DIAGNOSIS = "information for a doctor, not a diagnosis"
NO_SOFT_TISSUE_CARE = (
    "Until a doctor has checked your leg, do not massage or rub it, and do not put ice or a tight "
    "bandage on it: with a clot or an infection these can do harm."
)
NO_SOFT_TISSUE_TITLE = "No ice, compression, massage or exercise plan for now"
NO_SOFT_TISSUE_INTRO = "Home treatment for a strain is left out on purpose, because:"
NOT_AN_INJURY = (
    "The POLICE plan and the HARM list are for a fresh strain or sprain, which your answers do not point to; "
    "the advice below is for the likely causes."
)
UNCHECKED_INTRO = "Warning signs not checked, so not ruled out"
# Under a cause whose only line was a warning sign left out there (said in the verdict's "Why", or less
# urgent on its own than the verdict): where to find it. It follows the key "warning sign" with no colon
# when the page is piped, so it reads on from it: "warning sign among the reasons for the urgency above".
SIGN_IN_WHY = "among the reasons for the urgency above"


def lesser_intro(n: int) -> str:
    """What introduces the reasons after those that set the urgency: found too, but less urgent on their own."""
    return "Also found, less urgent on its own" if n == 1 else "Also found, each less urgent on its own"


# Reasons of one simple form, "<subject><one><rest>", said once for all their subjects on the pages a
# person reads (:func:`join_alike`): "a swollen calf should be checked by a doctor" and "a tender or
# throbbing calf should be checked by a doctor" read "a swollen calf and a tender or throbbing calf should
# each be checked by a doctor". The engine builds its own reasons of these forms from the same words.
POSSIBLE_HAZARD = " is possible on your answers and has to be ruled out: "  # + the urgency it needs
POSSIBLE_HERE = " is possible on these answers"  # why home treatment for a strain is left out
ALIKE = (  # (the form for one subject, the form for several)
    (POSSIBLE_HAZARD, " are possible on your answers and have to be ruled out: "),
    (POSSIBLE_HERE, " are possible on these answers"),
    (" should be ", " should each be "),
)
PHONE_NUMBERS = "Phone numbers are for {region} (change with --region)."

# The generic sheet is for a minor strain; this box at its top says what it is not for.
SCOPE_TITLE = "Read this first: this sheet is for a minor strain or sprain"
SCOPE_TEXT = (
    "Use it for a pulled muscle or a twisted or knocked knee. It is not for a possible blood clot, an "
    "infected joint, a broken bone, or a leg that is cold, pale or numb: ice, compression and massage "
    "can do harm there. Instead:"
)
SCOPE_INSTEAD = (
    "Call {emergency} now for a cold, pale or blue leg, or for breathlessness, chest pain or coughing up blood.",
    "Go to {ed} now if the knee looks misshapen, is hot and red with a fever, or you cannot take four steps "
    "after an injury.",
    "Get seen today for a swollen, tender, warm or red calf, a hot knee, or numbness or tingling in the "
    "leg: contact {urgent}.",
    "Not sure which applies? Go through the warning signs under 'When to get help' below, or ask a "
    "pharmacist, a nurse or {urgent}.",
)


def fill(text: str, region) -> str:
    """Put the region's own words into a text's placeholders ({emergency}, {urgent}, {ed}, {gp})."""
    if "{" not in text:
        return text
    return _PLACEHOLDER.sub(
        lambda m: getattr(region, PLACEHOLDERS[m.group(1)]) if m.group(1) in PLACEHOLDERS else m.group(0), text
    )


def problem(text: str) -> str | None:
    """What is wrong with a knowledge-base text's wording for the regions, or None."""
    for m in _PLACEHOLDER.finditer(text):
        if m.group(1) not in PLACEHOLDERS:
            known = ", ".join("{" + p + "}" for p in PLACEHOLDERS)
            return f"unknown placeholder '{m.group(0)}'; use one of {known}"
    m = _LITERAL.search(text)
    if m:
        literal = next(w for w in LITERALS if w.lower() == m.group(0).lower())
        return f"'{m.group(0)}' is one region's wording; write {LITERALS[literal]} so each region says its own"
    return None


def texts(kb):
    """Every text of a knowledge base a person reads, with its JSON path (sources and regions excepted)."""
    yield "$.disclaimer", kb.disclaimer
    for i, f in enumerate(kb.findings):
        p = f"$.findings[{i}]"
        yield f"{p}.question", f.question
        yield f"{p}.label", f.label
        yield f"{p}.help", f.help
        for j, c in enumerate(f.choices):
            yield f"{p}.choices[{j}].label", c.label
    for i, c in enumerate(kb.causes):
        p = f"$.causes[{i}]"
        for key in ("name", "description", "typical", "see_doctor"):
            yield f"{p}.{key}", getattr(c, key, "") or ""
        for j, a in enumerate(c.advice):
            yield f"{p}.advice[{j}]", a
    for i, r in enumerate(kb.red_flag_rules):
        yield f"$.red_flag_rules[{i}].reason", r.reason
    for i, u in enumerate(kb.urgency_levels):
        p = f"$.urgency_levels[{i}]"
        yield f"{p}.title", u.title
        yield f"{p}.action", u.action
        for j, s in enumerate(u.signs):
            yield f"{p}.signs[{j}]", s
    for i, s in enumerate(kb.self_care.police):
        for key in ("what", "how_long", "how_often"):
            yield f"$.self_care.police[{i}].{key}", getattr(s, key)
    for i, s in enumerate(kb.self_care.harm):
        yield f"$.self_care.harm[{i}].why", s.why


def check_texts(kb) -> tuple[str, str] | None:
    """The first text whose wording a region cannot fill, as (JSON path, problem), or None.

    It runs at every load, so it looks at all the texts at once first (one search over their
    join) and walks them one by one only to name the path of a problem."""
    every = list(texts(kb))
    joined = "\0".join(text for _, text in every)
    unknown = any(m.group(1) not in PLACEHOLDERS for m in _PLACEHOLDER.finditer(joined))
    lowered = joined.lower()  # a plain substring search first: the regular expression is slow on 40 kB
    if not unknown and not any(w.lower() in lowered for w in LITERALS):
        return None
    for path, text in every:
        wrong = problem(text)
        if wrong:
            return path, wrong
    return None


def alike_groups(reasons) -> list[tuple[str, tuple[str, ...]]]:
    """Reasons with those of one form (:data:`ALIKE`) and the same rest joined into one sentence, each joined
    sentence where the first of its reasons was: (the sentence, the reasons it says). Nothing is dropped:
    every subject and the rest are kept word for word. A reason whose subject holds a ':' or ';' (a
    worst-case reading, "you did not say ...; if ...: ...") is not of the simple form and stays as it is."""
    slots: list = []  # a reason kept as it is, or the key of a group, in the order they first come
    groups: dict[tuple[int, str], list[tuple[str, str]]] = {}  # key -> (subject, reason)
    for reason in reasons:
        for i, (one, _) in enumerate(ALIKE):
            subject, sep, rest = reason.partition(one)
            if sep and subject and not any(c in subject for c in ":;"):
                key = (i, rest)
                if key not in groups:
                    groups[key] = []
                    slots.append(key)
                if all(s != subject for s, _ in groups[key]):
                    groups[key].append((subject, reason))
                break
        else:
            slots.append(reason)
    out = []
    for slot in slots:
        if isinstance(slot, str):
            out.append((slot, (slot,)))
            continue
        (i, rest), members = slot, groups[slot]
        subjects = [s for s, _ in members]
        if len(subjects) == 1:
            sentence = members[0][1]
        else:
            sentence = f"{', '.join(subjects[:-1])} and {subjects[-1]}{ALIKE[i][1]}{rest}"
        out.append((sentence, tuple(r for _, r in members)))
    return out


def join_alike(reasons) -> list[str]:
    """The reasons as a person reads them: those of one simple form said once (:func:`alike_groups`)."""
    return [sentence for sentence, _ in alike_groups(reasons)]
