"""What a person or a script sees from the command line."""

from __future__ import annotations

import json
import re
import subprocess
import sys

from conftest import all_answered, read_cases

from kneetriage import __version__, knowledge

PUBLIC = {c["id"]: c for c in read_cases("public_cases.jsonl")}
SGR = re.compile(r"\x1b\[([0-9;]*)m")


def colour_codes(text: str) -> list[str]:
    """The ANSI colour settings in a text (bold and italic are not colour)."""
    found = []
    for params in SGR.findall(text):
        for p in params.split(";"):
            if p.isdigit() and (30 <= int(p) <= 49 or 90 <= int(p) <= 107) and int(p) not in (39, 49):
                found.append(p)
    return found


def test_version(run):
    result = run("--version")
    assert result.exit_code == 0 and result.stdout.strip() == f"kneetriage {__version__}"


def test_help_teaches(run):
    out = run("--help").stdout
    assert "ask" in out and "questions" in out and "check" in out
    assert "not a diagnosis" in out and "999" in out
    ask_help = run("ask", "--help").stdout
    assert "--answers" in ask_help and "--format" in ask_help and "--region" in ask_help
    assert "kneetriage ask --answers case.json" in ask_help


def test_no_arguments_shows_help(run):
    result = run()
    assert "Usage" in result.output


def test_json_result_has_the_contract_shape(run, answers_file):
    out = json.loads(run("ask", "--answers", answers_file(PUBLIC["p-dvt"]["answers"]), "--format", "json").stdout)
    assert out["urgency"]["level"] == "consultation_24"
    assert out["urgency"]["reasons"] and all(isinstance(r, str) for r in out["urgency"]["reasons"])
    assert out["causes"][0]["id"] == "dvt"
    assert {"id", "name", "score", "why"} <= set(out["causes"][0])
    # An answers file written before interface 1.1 never checked its new warning signs: listed, not taken as "no".
    assert set(out["unanswered_red_flags"]) == {"foot_weak", "fainted", "cannot_bend_90"}


def test_region_numbers(run, answers_file):
    case = answers_file(PUBLIC["p-septic"]["answers"])
    for region, number in (("uk", "999"), ("us", "911"), ("eu", "112"), ("au", "000")):
        out = json.loads(run("ask", "--answers", case, "--format", "json", "--region", region).stdout)
        assert number in out["urgency"]["action"], region
    out = json.loads(run("ask", "--answers", case, "--format", "json", env={"KNEETRIAGE_REGION": "us"}).stdout)
    assert "911" in out["urgency"]["action"]


def test_table_output_reads_well_at_80_columns(run, answers_file):
    result = run("ask", "--answers", answers_file(PUBLIC["p-rupture"]["answers"]), env={"COLUMNS": "80"})
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    text = result.stdout
    assert "Get medical help today" in text
    assert "Burst Baker's cyst" in text.replace("\n", " ") or "Baker" in text
    assert "not a diagnosis" in text
    assert "Ice:" not in text, "no soft-tissue plan where a clot is possible"


def test_table_output_at_40_columns_does_not_break(run, answers_file):
    result = run("ask", "--answers", answers_file(PUBLIC["p-hamstring"]["answers"]), env={"COLUMNS": "40"})
    assert result.exit_code == 0
    assert max(len(line) for line in result.stdout.splitlines()) <= 40


def test_no_color_is_respected(run, answers_file):
    case = answers_file(PUBLIC["p-septic"]["answers"])
    coloured = run("ask", "--answers", case, env={"FORCE_COLOR": "1", "TERM": "xterm-256color"})
    assert colour_codes(coloured.stdout), "colour is on when forced"
    plain = run("ask", "--answers", case, env={"FORCE_COLOR": "1", "NO_COLOR": "1", "TERM": "xterm-256color"})
    assert colour_codes(plain.stdout) == []


def test_markdown_output(run, answers_file):
    out = run(
        "ask", "--answers", answers_file(all_answered(PUBLIC["p-hamstring"]["answers"])), "--format", "markdown"
    ).stdout
    assert out.startswith("# Look after it at home")
    assert "## Likely causes" in out and "### 1. Hamstring" in out
    assert "POLICE" in out and "HARM" in out
    assert "not a diagnosis" in out


def test_self_care_given_for_a_strain_and_withheld_for_a_clot(run, answers_file):
    strain = json.loads(
        run("ask", "-a", answers_file(all_answered(PUBLIC["p-hamstring"]["answers"])), "-f", "json").stdout
    )
    assert strain["self_care"]["given"] is True
    assert [s["word"] for s in strain["self_care"]["police"]] == [
        "Protect", "Optimal Loading", "Ice", "Compression", "Elevation",
    ]  # fmt: skip
    assert [s["word"] for s in strain["self_care"]["harm"]] == ["Heat", "Alcohol", "Running", "Massage"]
    clot = json.loads(run("ask", "-a", answers_file(PUBLIC["p-dvt"]["answers"]), "-f", "json").stdout)
    assert clot["self_care"]["given"] is False
    assert "police" not in clot["self_care"] and "harm" not in clot["self_care"]
    assert any("clot" in r for r in clot["self_care"]["withheld_because"])


def test_missing_red_flags_are_listed_not_reassuring(run, answers_file):
    result = run("ask", "--answers", answers_file({"age": 30, "injury": "overstretch", "thigh_back_pain": True}))
    text = result.stdout
    assert "Warning signs not checked" in text and "breathlessness" in text
    assert "Look after it at home" not in text


def test_questions_lists_every_id_for_script_writers(run, kb):
    rows = json.loads(run("questions", "--format", "json").stdout)
    assert [r["id"] for r in rows] == [f.id for f in kb.findings]
    injury = next(r for r in rows if r["id"] == "injury")
    assert injury["type"] == "choice" and injury["group"] == "about"
    assert [c["value"] for c in injury["choices"]][:2] == ["none", "twist"]
    table = run("questions").stdout
    assert "breathless_or_chest_pain" in table


def _modules_loaded(tmp_path, *args: str, watch: tuple[str, ...]) -> tuple[str, list[str]]:
    """Run `kneetriage ask` by its console-script entry in a new interpreter: (stdout, watched modules loaded)."""
    case = tmp_path / "case.json"
    case.write_text(json.dumps(PUBLIC["p-oa"]["answers"]))
    probe = (
        "import sys\n"
        "from kneetriage import main\n"
        f"sys.argv = ['kneetriage', 'ask', '--answers', {str(case)!r}, *{list(args)!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"print(sorted(m for m in {list(watch)!r} if m in sys.modules), file=sys.stderr)\n"
    )
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, stdin=subprocess.DEVNULL)
    return proc.stdout, json.loads(proc.stderr.strip().replace("'", '"'))


def test_scripted_path_imports_neither_questionary_nor_rich(tmp_path):
    out, loaded = _modules_loaded(tmp_path, "--format", "json", watch=("questionary", "rich", "prompt_toolkit"))
    assert json.loads(out)["causes"][0]["id"] == "osteoarthritis"
    assert loaded == []


def test_drawn_result_imports_only_the_rich_pieces_it_draws_with(tmp_path):
    """The result page is panels and wrapped text: no table, no interview, none of typer's rich extras."""
    heavy = (
        "questionary",
        "prompt_toolkit",
        "rich.table",  # the result page has no table
        "rich.traceback",  # typer's pretty exceptions (turned off)
        "rich.pretty",
        "rich.markdown",  # typer's rich help
        "rich.progress",  # evaluate's progress bar, in a terminal only
        "rich.syntax",
        "pydantic",
    )
    out, loaded = _modules_loaded(tmp_path, watch=(*heavy, "rich.console"))
    assert "1. Wear-and-tear arthritis (osteoarthritis)" in out
    assert loaded == ["rich.console"]


def test_the_command_runs_with_the_garbage_collector_on(tmp_path):
    """The console script pauses the collector only while it imports the command line (start-up time).

    The command itself runs with the collector on, so garbage that keeps growing over a long interview
    or evaluate run is collected, and importing kneetriage as a library leaves the collector alone.
    """
    case = tmp_path / "case.json"
    case.write_text(json.dumps(PUBLIC["p-oa"]["answers"]))
    probe = (
        "import gc, sys\n"
        "import kneetriage, kneetriage.cli as cli\n"
        "print('library', gc.isenabled(), gc.get_freeze_count(), file=sys.stderr)\n"
        "real = cli.main\n"
        "def command():\n"
        "    print('command', gc.isenabled(), file=sys.stderr)\n"
        "    freed = []\n"
        "    class Cycle:\n        def __del__(self):\n            freed.append(1)\n"
        "    for _ in range(200_000):\n        c = Cycle()\n        c.me = c\n"  # garbage only the collector frees
        "    print('collected', bool(freed), file=sys.stderr)\n"
        "    real()\n"
        "cli.main = command\n"
        f"sys.argv = ['kneetriage', 'ask', '--answers', {str(case)!r}, '--format', 'json']\n"
        "try:\n    kneetriage.main()\nexcept SystemExit:\n    pass\n"
    )
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert proc.stderr.split("\n")[:3] == ["library True 0", "command True", "collected True"]
    assert json.loads(proc.stdout)["causes"][0]["id"] == "osteoarthritis"


def test_python_dash_m_works_from_another_directory(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "kneetriage", "--version"], capture_output=True, text=True,
                          cwd=tmp_path)  # fmt: skip
    assert proc.returncode == 0 and __version__ in proc.stdout


def test_police_plan_only_for_a_fresh_injury(run, answers_file):
    """Osteoarthritis gets its own advice, not the plan for a fresh strain (whose HARM list says no heat)."""
    out = json.loads(run("ask", "-a", answers_file(all_answered(PUBLIC["p-oa"]["answers"])), "-f", "json").stdout)
    care = out["self_care"]
    assert care["given"] is False and care["withheld_because"] == []
    assert "fresh strain" in care["not_needed"]
    assert "police" not in care
    assert care["cause_advice"][0]["cause"] == "osteoarthritis"


# A person who fainted with severe leg pain: an ambulance, and a clot among the causes.
FAINTED = {
    **{flag: False for flag in ("breathless_or_chest_pain", "leg_numb_or_tingling", "knee_deformed", "fever")},
    "severe_pain_at_rest": True,
    "fainted": True,
}


def test_under_call_999_the_clot_advice_does_not_say_to_book_a_gp(run, answers_file):
    """A person who fainted with severe leg pain is told to call 999; the advice for a clot under it keeps what to
    do and not do, but not its own "contact your GP surgery today", which would offer a slower way out. The same
    advice under a same-day verdict opens with that line."""
    page = run("ask", "-a", answers_file(FAINTED), env={"NO_COLOR": "1", "COLUMNS": "80"}).stdout
    words = " ".join(page.split())
    assert "Call 999 now" in words and "For Blood clot in a leg vein" in words
    assert "Do not massage or rub the calf" in words
    assert "GP surgery" not in words.split("For Blood clot in a leg vein", 1)[1]
    out = json.loads(run("ask", "-a", answers_file(FAINTED), "-f", "json").stdout)
    clot = next(ca for ca in out["self_care"]["cause_advice"] if ca["cause"] == "dvt")
    assert not any(line.startswith("Get medical help today") for line in clot["advice"])

    calf = all_answered({"age": 45, "injury": "none", "calf_swollen": True, "calf_tender": True})
    out = json.loads(run("ask", "-a", answers_file(calf, "calf.json"), "-f", "json").stdout)
    assert out["urgency"]["level"] == "consultation_24"
    clot = next(ca for ca in out["self_care"]["cause_advice"] if ca["cause"] == "dvt")
    assert clot["advice"][0].startswith("Get medical help today: contact your GP surgery")


def test_the_care_sheet_under_call_999_never_says_to_get_seen_later_today(run, answers_file):
    """The same person's care sheet: under "Call 999 now", the clot's "When to see a doctor about it" keeps its
    "call 999 at once if you are breathless" but not "Get seen today, even if the symptoms seem mild". The same
    sheet for a swollen, tender calf sent for help today keeps the whole line."""
    sheet = run("sheet", "-a", answers_file(FAINTED), env={"NO_COLOR": "1", "COLUMNS": "80"}).stdout
    words = " ".join(sheet.split())
    assert "Call 999 now" in words and "Possible cause (weak match): Blood clot in a leg vein" in words
    clot = words.split("Possible cause (weak match): Blood clot in a leg vein", 1)[1].split("When to get help (", 1)[0]
    assert "When to see a doctor about it: Call 999 at once if you are breathless" in clot
    assert "Get seen today" not in clot
    out = json.loads(run("ask", "-a", answers_file(FAINTED), "-f", "json").stdout)
    assert not any("Get seen today" in line for line in out["see_doctor"])

    calf = all_answered({"age": 45, "injury": "none", "calf_swollen": True, "calf_tender": True})
    sheet = run("sheet", "-a", answers_file(calf, "calf.json"), env={"NO_COLOR": "1", "COLUMNS": "80"}).stdout
    words = " ".join(sheet.split())
    assert "When to see a doctor about it: Get seen today, even if the symptoms seem mild" in words


def test_under_call_999_why_gives_the_reason_for_999_and_keeps_the_lesser_ones_apart(run, answers_file, tmp_path):
    """The same person's verdict: "Why" gives fainting, the reason for 999, and not "severe pain even at rest needs
    a doctor today" as if it were one; --all lists that under "Also found, each less urgent on its own", the report
    for the doctor says it there too, and the JSON keeps every reason with how many set the level."""

    def why(*more: str) -> str:  # the verdict box's "Why", its lines joined
        page = run("ask", "-a", answers_file(FAINTED), *more, env={"NO_COLOR": "1", "COLUMNS": "80"}).stdout
        return " ".join(page.replace("┃", " ").split()).split("Why: ", 1)[1].split(" Warning signs not checked")[0]

    assert why() == (
        "Fainting or collapsing with a painful leg can mean a clot has reached the lungs. "
        "And 3 more that on their own would be less urgent (--all lists them)."
    )
    reason, lesser = why("--all").split(" Also found, each less urgent on its own: ")
    assert "today" not in reason and lesser.startswith("severe pain even at rest needs a doctor today;")
    report = tmp_path / "report.md"
    run("ask", "-a", answers_file(FAINTED), "--report", str(report))
    lesser = "Also found, each less urgent on its own: severe pain even at rest needs a doctor today"
    assert lesser in report.read_text()
    out = json.loads(run("ask", "-a", answers_file(FAINTED), "-f", "json").stdout)
    assert out["urgency"]["reasons_at_level"] == 1 and len(out["urgency"]["reasons"]) == 4
    assert out["urgency"]["reasons"][1] == "severe pain even at rest needs a doctor today"


def test_under_go_to_ae_the_infected_joints_warning_sign_is_the_reason_for_ae_not_a_doctor_today(
    run, answers_file, tmp_path
):
    """A fever with a very swollen knee: "Go to A&E now". Under the infected joint the page and the report gave
    "warning sign: a high temperature with knee pain needs a doctor today", a second, slower instruction. A
    cause's warning sign is now its most urgent one (the JSON keeps every line), and one less urgent on its own
    than the verdict is left to the verdict's "Why" (counted on the page, listed by --all and the report)."""
    person = answers_file({"fever": True, "knee_very_swollen": True, "age": 40})
    lesser = "a high temperature with knee pain needs a doctor today"

    def flat(text: str) -> str:
        return " ".join(text.replace("┃", " ").split())

    page = flat(run("ask", "-a", person, env={"NO_COLOR": "1", "COLUMNS": "80"}).stdout)
    assert page.startswith("┏━ Go to A&E now") and lesser not in page
    causes = page.split("Likely causes", 1)[1]
    assert "1. Infection inside the knee joint (septic arthritis)" in causes and "needs a doctor today" not in causes
    assert lesser in flat(run("ask", "-a", person, "--all", env={"NO_COLOR": "1", "COLUMNS": "80"}).stdout)
    out = json.loads(run("ask", "-a", person, "-f", "json").stdout)
    septic = next(c for c in out["causes"] if c["id"] == "septic_arthritis")
    assert septic["why"][0] == f"warning sign: {out['urgency']['reasons'][0]}"  # the reason for A&E
    assert lesser in out["urgency"]["reasons"][out["urgency"]["reasons_at_level"] :]
    report = tmp_path / "report.md"
    run("ask", "-a", person, "--report", str(report))
    leading = report.read_text().split("Leading causes", 1)[1].split("Answered yes", 1)[0]
    assert "Infection inside the knee joint" in leading and "needs a doctor today" not in leading


def test_a_limping_childs_causes_under_help_today_do_not_say_a_gp_or_physio_will_do(run, answers_file, tmp_path):
    """A child of 9 limping for weeks with no injury: "Get medical help today". The causes gave "warning sign: ...
    a child's knee pain needs a GP or physio to look at it" (an appointment) under it, twice; now that reason is
    left to the verdict ("--all" lists it as less urgent on its own), and a cause shown only for a sign said in
    "Why" points there instead of standing with no line under it."""
    child = answers_file({"age": 9, "limp": True, "injury": "none", "duration": "weeks"})
    appointment = "a child's knee pain needs a GP or physio to look at it"

    def page(*more: str) -> str:
        text = run("ask", "-a", child, *more, env={"NO_COLOR": "1", "COLUMNS": "80"}).stdout
        return " ".join(text.replace("│", " ").split())

    short = page()
    assert short.startswith("╭─ Get medical help today") and appointment not in short
    causes = short.split("Causes drawn up for adults", 1)[1].split("Also considered", 1)[0]
    assert "3. Broken bone or dislocated knee (unlikely) warning sign among the reasons for the urgency above" in causes
    adults = "the causes and how likely they are were worked out for adults"
    lesser = f"Also found, each less urgent on its own: {adults}; {appointment}"
    assert lesser in page("--all")
    report = tmp_path / "report.md"
    run("ask", "-a", child, "--report", str(report))
    assert appointment not in report.read_text().split("Leading causes", 1)[1].split("Answered yes", 1)[0]


def test_knee_pain_getting_worse_for_weeks_books_a_gp_and_the_same_pain_easing_stays_at_home(run, answers_file):
    """Three weeks of an ache behind the knee, no injury and no warning sign: getting worse rather than better is
    not settling with home care, so a GP or physio (interface 1.1 addition `getting_worse`); the same pain that is
    not getting worse is looked after at home."""
    person = all_answered(
        {
            "age": 49,
            "sex": "male",
            "side": "right",
            "duration": "weeks",
            "onset": "gradual",
            "injury": "none",
            "sport": "running",
            "pain_site": "centre",
            "swelling_timing": "none",
            "known_arthritis": "none",
            "morning_stiffness": "none",
            "pain_with_activity": True,
        }
    )
    worse = json.loads(
        run("ask", "--answers", answers_file({**person, "getting_worse": True}), "--format", "json").stdout
    )
    assert worse["urgency"]["level"] == "consultation"
    assert any("getting worse" in r for r in worse["urgency"]["reasons"])
    easing = json.loads(
        run("ask", "--answers", answers_file({**person, "getting_worse": False}), "--format", "json").stdout
    )
    assert easing["urgency"]["level"] == "self_care"


def test_a_back_that_hurts_too_puts_pain_from_the_back_first_and_says_when_it_is_an_emergency(run, answers_file):
    """Weeks of aching all over the back of the knee, no injury: with a back that hurts too (or pain shooting down
    from the back or buttock) pain from the back leads, and the reason says so; without it, it is not in the first
    three. Its advice tells the person to go to A&E at once if the bottom or genitals go numb or passing urine or
    stools becomes hard (numbness of the saddle and the bladder: the nerves at the base of the spine squeezed)."""
    person = {
        "age": 52,
        "sex": "female",
        "side": "left",
        "duration": "weeks",
        "onset": "gradual",
        "injury": "none",
        "pain_site": "all_over",
        **{f: False for f in knowledge.load().red_flags},
    }
    back = json.loads(run("ask", "--answers", answers_file({**person, "back_pain": True}), "--format", "json").stdout)
    assert back["causes"][0]["id"] == "referred_pain"
    assert "for: low back pain, or pain shooting down from the back or buttock (moderate)" in back["causes"][0]["why"]
    assert back["urgency"]["level"] == "consultation"  # the back's pain alone raises no urgency
    knee_only = json.loads(run("ask", "--answers", answers_file(person), "--format", "json").stdout)
    assert "referred_pain" not in [c["id"] for c in knee_only["causes"][:3]]
    page = run("ask", "--answers", answers_file({**person, "back_pain": True}), "--region", "uk").stdout
    assert "Go to A&E straight away if your bottom or genitals go numb" in " ".join(page.split())


def test_a_numb_saddle_or_bladder_trouble_in_an_answers_file_is_an_emergency_even_without_back_pain(run, answers_file):
    """The interview asks about a numb bottom or genitals, or new trouble with urine or stools, only after a back
    that hurts; an answers file may give it without one, and it still sends the person to A&E (cauda equina can
    come with leg pain alone)."""
    person = all_answered({"age": 45, "sex": "male", "duration": "days", "onset": "sudden", "injury": "none"})
    for back in (True, False):
        out = json.loads(
            run(
                "ask",
                "--answers",
                answers_file({**person, "back_pain": back, "saddle_numb_or_bladder": True}),
                "--format",
                "json",
            ).stdout
        )
        assert out["urgency"]["level"] == "emergency", back
        assert not out["self_care"]["given"]
    calm = json.loads(run("ask", "--answers", answers_file(person), "--format", "json").stdout)
    assert calm["urgency"]["level"] not in ("emergency", "emergency_ambulance")
