"""kneetriage benchmarks: start-up, memory, evaluate's throughput, and the interview beside the scripted path.

    python benchmarks/run.py [--rounds 15] [--cases tests/data/public_cases.jsonl]

Needs only the standard library and an installed kneetriage (``pip install .``).
Timings are taken side by side in one interleaved run (A, B, A, B, ...; the
order turns each round) and reported as ratios of medians, so a slow or busy
machine moves both sides alike. Every child runs on one CPU; its peak memory
is its own maximum resident set size (getrusage in a bare wrapper process).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CASES = REPO / "tests" / "data" / "public_cases.jsonl"
EVALUATE_CASES = 20_000

MINIMAL_APP = '''\
import typer

app = typer.Typer()


@app.command()
def hello(name: str):
    """Say hello."""
    print(f"hello {name}")


@app.command()
def bye(name: str, formal: bool = False):
    """Say goodbye."""
    print(f"goodbye {name}")


app()
'''


# Runs one command and prints "seconds peak_kib exit_code". A child's peak memory counts
# what it inherited before exec, so the spawner must be small: this bare interpreter
# (-S -I: no site, ~8 MiB), not the benchmark with its 4,500 cases in memory.
WRAPPER = """
import os, resource, sys, time
start = time.perf_counter()
pid = os.posix_spawn(sys.argv[1], sys.argv[1:], os.environ,
                     file_actions=[(os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0)])
status = os.waitpid(pid, 0)[1]
elapsed = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(elapsed, usage.ru_maxrss, os.waitstatus_to_exitcode(status), usage.ru_utime + usage.ru_stime)
"""
# Bytecode caches as a normal installation has them (pip writes them; the warm-up round
# writes them for an editable install), even where the shell sets PYTHONDONTWRITEBYTECODE.
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run_once(cmd: list[str]) -> tuple[float, float, float]:
    """Run one command to the end: (wall seconds, its own peak resident memory in MiB, CPU seconds)."""
    done = subprocess.run(
        [sys.executable, "-S", "-I", "-c", WRAPPER, *cmd], capture_output=True, text=True, env=CHILD_ENV
    )
    try:
        elapsed, peak, code, cpu = done.stdout.split()
    except ValueError:
        sys.exit(f"benchmark: could not run {cmd[0]}: {done.stderr.strip()[-500:]}")
    if code != "0":
        sys.exit(f"benchmark: {' '.join(cmd)} exited {code}: {done.stderr.strip()[-500:]}")
    kib = int(peak) / (1024 if sys.platform == "darwin" else 1)  # macOS counts bytes
    return float(elapsed), kib / 1024, float(cpu)


def interleaved(commands: dict[str, list[str]], rounds: int) -> dict[str, dict]:
    """Every command once a round, in an order that turns each round; one warm-up round first."""
    names = list(commands)
    times: dict[str, list[float]] = {n: [] for n in names}
    cpu: dict[str, list[float]] = {n: [] for n in names}
    peak: dict[str, float] = dict.fromkeys(names, 0.0)
    for r in range(rounds + 1):
        shift = r % len(names)
        for name in names[shift:] + names[:shift]:
            elapsed, rss, seconds = run_once(commands[name])
            if r:  # round 0 warms the caches (bytecode, file system)
                times[name].append(elapsed)
                cpu[name].append(seconds)
                peak[name] = max(peak[name], rss)
    return {
        n: {"median": statistics.median(times[n]), "cpu": statistics.median(cpu[n]), "peak_mib": peak[n]} for n in names
    }


def pin_to_one_cpu() -> str:
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no sched_setaffinity here)"
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})  # children inherit it
    return f"CPU {cpu}"


def read_cases(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def many_cases(cases: list[dict], n: int, seed: int = 5) -> list[dict]:
    """n cases made from the given ones: each copy with a different age, some answers dropped or flipped."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        case = json.loads(json.dumps(cases[i % len(cases)]))
        case["id"] = f"{case['id']}-{i}"
        answers = case["answers"]
        if "age" in answers:
            answers["age"] = rng.randint(16, 90)
        for key in rng.sample(sorted(answers), k=min(3, len(answers))):
            value = answers[key]
            if isinstance(value, bool) and rng.random() < 0.3:
                answers[key] = not value
            elif rng.random() < 0.2:
                del answers[key]
        out.append(case)
    return out


def interview_rows(data: Path = REPO / "tests" / "data", holdout: bool = False) -> list[tuple[str, str, str, str]]:
    """For every cases file in tests/data: the scripted path's figures beside the interview's.

    The interview runs each case through the real interview engine, answered by
    the case's simulated person (``kneetriage evaluate --interview``); the
    scripted path runs on the case's answers as given and on the same answers
    as the simulated person's (a "no" to every yes/no question the case leaves
    out). Only the totals are computed, never a case's own result, so a
    held-out file stays held out.
    """
    try:
        from msgspec.structs import replace

        from kneetriage import evaluate as ev
        from kneetriage import interview, knowledge
        from kneetriage.errors import UsageError
    except ImportError:
        return [("interview on the cases", "pending (not in this build)", "", "")]
    kb = knowledge.load()
    rows = []
    for path in sorted(data.glob("*.jsonl")):
        if "holdout" in path.name and not holdout:
            continue  # a held-out half is run once, on purpose (--holdout), never as a side effect
        try:
            cases = ev.parse_cases(kb, path.read_bytes(), path.name)
        except UsageError:
            continue  # not a cases file
        if not cases:
            continue
        asked = ev.count(ev.score_all(kb, cases, interview=True))
        given = ev.count(ev.score_all(kb, cases))
        # The scripted path on the same answers: what the simulated person would say if asked everything.
        same = ev.count(
            ev.score_all(
                kb, [replace(c, answers=interview.everything_said(kb, c.answers, c.unanswered)) for c in cases]
            )
        )
        ranked = same["ranked"] or 1
        top3_drop = 100 * (same["top3"] - asked["top3"]) / ranked
        ok = (
            asked["under_triage"] <= same["under_triage"]
            and top3_drop <= 3
            and asked["screens_median"] <= 10
            and asked["screens_max"] <= 16
        )

        def trio(key: str, given=given, same=same, asked=asked) -> str:
            return f"{given[key]} / {same[key]} / {asked[key]}"

        rows.append(
            (
                f"`evaluate {path.name}` ({len(cases)} cases): answers as given / same answers / `--interview`",
                f"top-1 {trio('top1')}, top-3 {trio('top3')} of {ranked}; under-triage {trio('under_triage')}; "
                f"over-triage {trio('over_triage')}; interview screens median {asked['screens_median']:g}, "
                f"longest {asked['screens_max']}",
                "interview: under-triage no more than on the same answers, top-3 within 3 points of them, "
                "median <= 10, longest <= 16",
                "yes" if ok else "NO",
            )
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=15, help="interleaved rounds for start-up (default 15)")
    parser.add_argument("--evaluate-rounds", type=int, default=5, help="rounds for evaluate (default 5)")
    parser.add_argument(
        "--holdout", action="store_true", help="also run the held-out published halves (run a held-out half once)"
    )
    parser.add_argument("--cases", type=Path, help=f"public cases (default {DEFAULT_CASES.relative_to(REPO)})")
    args = parser.parse_args()
    cases_path = args.cases or DEFAULT_CASES
    cases = read_cases(cases_path)
    cpu = pin_to_one_cpu()
    py = sys.executable
    with tempfile.TemporaryDirectory(prefix="kneetriage-bench-") as tmp:
        work = Path(tmp)
        answers = work / "answers.json"
        answers.write_text(json.dumps(cases[0]["answers"]), encoding="utf-8")
        minimal = work / "minimal_app.py"
        minimal.write_text(MINIMAL_APP, encoding="utf-8")
        big = work / "cases.jsonl"
        big.write_text("".join(json.dumps(c) + "\n" for c in many_cases(cases, EVALUATE_CASES)), encoding="utf-8")
        one = work / "one.jsonl"
        one.write_text(json.dumps(many_cases(cases, 1)[0]) + "\n", encoding="utf-8")

        # The command a user types: the console script next to this interpreter (python -m otherwise).
        script = Path(py).with_name("kneetriage")
        kt = [str(script)] if script.exists() else [py, "-m", "kneetriage"]
        start = interleaved(
            {
                "base": [py, "-c", "import typer, rich.table"],
                # The same imports with the garbage collector handled as the kneetriage command handles it
                # (paused while importing, then frozen, and frozen again at exit): not a target, it shows
                # how much of a ratio is kneetriage's own work rather than the collector's.
                "base_gc": [py, "-c", "import gc; gc.disable(); import typer, rich.table; gc.freeze(); gc.enable()"],
                "json": [*kt, "ask", "--answers", str(answers), "--format", "json"],
                "table": [*kt, "ask", "--answers", str(answers), "--format", "table"],
                "help": [*kt, "--help"],
                "minimal_help": [py, str(minimal), "--help"],
            },
            args.rounds,
        )
        evaluate = interleaved(
            {
                "one": [*kt, "evaluate", str(one), "--format", "json"],
                "evaluate": [*kt, "evaluate", str(big), "--format", "json"],
            },
            args.evaluate_rounds,
        )

    def ms(name: str, src=start) -> str:
        return f"{src[name]['median'] * 1000:.0f} ms"

    def ratio(a: str, b: str, limit: float) -> tuple[str, str, str]:
        value = start[a]["median"] / start[b]["median"]
        return f"{value:.2f} ({ms(a)} / {ms(b)})", f"<= {limit}", "yes" if value <= limit else "NO"

    peak_name = max(("json", "table", "help"), key=lambda n: start[n]["peak_mib"])
    peak = start[peak_name]["peak_mib"]
    secs = evaluate["evaluate"]["median"]
    rate = (EVALUATE_CASES - 1) / (secs - evaluate["one"]["median"])
    cpu_rate = (EVALUATE_CASES - 1) / (evaluate["evaluate"]["cpu"] - evaluate["one"]["cpu"])
    rows = [
        ("`ask --answers F --format json` / `import typer, rich.table`", *ratio("json", "base", 1.0)),
        ("`ask --answers F` (table) / `import typer, rich.table`", *ratio("table", "base", 1.2)),
        (
            "`ask --answers F` JSON / table against `import typer, rich.table` with the collector paused and "
            "frozen as the kneetriage command does it",
            f"{start['json']['median'] / start['base_gc']['median']:.2f} / "
            f"{start['table']['median'] / start['base_gc']['median']:.2f} ({ms('base_gc')})",
            "information: kneetriage's own work",
            "-",
        ),
        ("`kneetriage --help` / minimal two-command Typer app `--help`", *ratio("help", "minimal_help", 1.1)),
        (f"peak memory (largest: {peak_name})", f"{peak:.1f} MiB", "< 40 MiB", "yes" if peak < 40 else "NO"),
        (
            "`evaluate` throughput, scripted path, one core (cases after the first, start-up excluded)",
            f"{rate:,.0f} cases/s wall ({cpu_rate:,.0f} a CPU second)",
            ">= 5,000 cases/s",
            "yes" if rate >= 5000 else "NO",
        ),
        (
            f"`evaluate` {EVALUATE_CASES:,} cases, whole process: time and peak memory",
            f"{secs:.2f} s, {evaluate['evaluate']['peak_mib']:.1f} MiB",
            "< 150 MiB (streams: does not grow with the cases)",
            "yes" if evaluate["evaluate"]["peak_mib"] < 150 else "NO",
        ),
    ]
    rows += interview_rows(holdout=args.holdout)

    print(
        f"kneetriage benchmarks: Python {sys.version.split()[0]}, {cpu}, {args.rounds} interleaved rounds "
        f"(medians), cases from {cases_path.name}\n"
    )
    print("| measure | result | target | met |")
    print("|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
