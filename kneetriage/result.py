"""A triage result as plain data: the JSON result, and what every page (table, Markdown, sheet, report) is built from.

This is contract §4 plus the project's additions. It is built once from the
core's result and holds no rich objects, so the JSON path never imports rich.
"""

from __future__ import annotations

from .engine import TriageResult
from .knowledge import LEVELS, Cause, KnowledgeBase, Region, rank
from .wording import NOT_AN_INJURY, fill

SCHEMA_VERSION = 1


def build(kb: KnowledgeBase, result: TriageResult, region: Region) -> dict:
    level = kb.urgency[result.urgency.level]
    causes = []
    for rc in result.causes:
        causes.append(
            {
                "id": rc.id,
                "name": rc.cause.name,
                "score": round(rc.score, 4),
                "probability": round(rc.probability, 4),
                "strength": rc.strength,
                "why": [fill(w, region) for w in rc.why()],
                "raised": [{"finding": c.finding, "answer": c.answer, "lr": c.lr} for c in rc.raised],
                "lowered": [{"finding": c.finding, "answer": c.answer, "lr": c.lr} for c in rc.lowered],
                "urgency_floor": rc.cause.urgency_floor,
                "sources": [{"title": kb.sources[s].title, "url": kb.sources[s].url} for s in rc.cause.sources],
            }
        )
    leading = result.leading
    withheld = [fill(r, region) for r in result.soft_tissue_withheld]
    # POLICE and HARM are for a fresh soft-tissue injury, and never while a hazard is possible.
    injury = any(rc.cause.soft_tissue_injury for rc in leading)
    self_care: dict = {"given": injury and not withheld, "withheld_because": withheld}
    if not withheld and not injury:
        self_care["not_needed"] = NOT_AN_INJURY
    if self_care["given"]:
        self_care["police"] = [
            {"word": s.word, "what": s.what, "how_long": s.how_long, "how_often": s.how_often}
            for s in kb.self_care.police
        ]
        self_care["harm"] = [{"word": s.word, "why": s.why} for s in kb.self_care.harm]
    # A leading cause's own advice is given unless soft-tissue care is withheld and the
    # cause is not itself the hazard (whose advice is the urgent action, never a home plan).
    self_care["cause_advice"] = [
        {"cause": rc.id, "name": rc.cause.name, "advice": _advice(rc.cause, result.urgency.level, region)}
        for rc in leading
        if not withheld or rc.cause.hazard
    ]
    said = ((rc.cause.name, see_doctor_under(rc.cause, result.urgency.level, region)) for rc in leading)
    see_doctor = [f"{name}: {text}" for name, text in said if text]
    if LEVELS.index(result.urgency.level) > LEVELS.index("consultation_24"):  # "get seen today" only if not already
        see_doctor.append(
            "If it gets worse or a warning sign appears: " + fill(kb.urgency["consultation_24"].action, region)
        )
    return {
        "urgency": {
            "level": result.urgency.level,
            "title": fill(level.title, region),
            "action": fill(level.action, region),
            "reasons": [fill(r, region) for r in result.urgency.reasons],
            # The first this many reasons set the level; each one after them would on its own ask for less.
            "reasons_at_level": result.urgency.at_level,
        },
        "causes": causes,
        "unanswered_red_flags": list(result.unanswered_red_flags),
        "unanswered_red_flag_questions": [kb.finding[f].question for f in result.unanswered_red_flags],
        # Every missing answer that could make this more urgent: the red flags above, then the others.
        "not_checked": [{"id": f, "question": kb.finding[f].question} for f in result.not_checked],
        "child": {"applies": True, "reason": result.child} if result.child else {"applies": False},
        "self_care": self_care,
        "see_doctor": see_doctor,
        "region": {"id": region.id, "name": region.name, "emergency": region.emergency, "urgent": region.urgent},
        "disclaimer": fill(kb.disclaimer, region),
        "knowledge_base": {"version": kb.version, "reviewed": kb.reviewed},
        "answers": result.answers,
        "format_version": SCHEMA_VERSION,
    }


def _advice(cause: Cause, level: str, region: Region) -> list[str]:
    """A cause's advice under a verdict: an opening line that says to get help less urgently than the verdict
    ("contact your GP surgery today" under "Call 999 now") is left out, so the page never says two things."""
    lines = cause.advice[1:] if _says_later(cause.advice_opens_with, level) else cause.advice
    return [fill(a, region) for a in lines]


def see_doctor_under(cause: Cause, level: str, region: Region) -> str:
    """When to see a doctor about a cause, under a verdict: an opening sentence that says to get help less urgently
    than the verdict ("Get seen today" under "Call 999 now") is left out, and what follows it is kept; empty where
    nothing follows."""
    text = cause.see_doctor.partition(". ")[2] if _says_later(cause.see_doctor_opens_with, level) else cause.see_doctor
    return fill(text, region) if text else ""


def _says_later(opens_with: str | None, verdict: str) -> bool:
    """Whether an opening that names the level ``opens_with`` says to get help later than the verdict."""
    return opens_with is not None and rank(verdict) < rank(opens_with)
