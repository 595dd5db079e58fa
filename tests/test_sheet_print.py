"""The HTML sheet in a real browser: headless Chromium prints it to PDF, on A4 and on US Letter.

Skipped where no Chromium is installed. CI installs Debian's `chromium` (which
brings the Liberation fonts, metric-compatible with Arial) so it runs there.
Pages are counted straight from the PDF: every page object is `/Type /Page`
(the page tree is `/Type /Pages`), and Chromium writes them uncompressed.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from kneetriage import engine, knowledge, result, sheet

CHROMIUM = next((p for p in map(shutil.which, ("chromium", "chromium-browser")) if p), None)
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")

KB = knowledge.load()
UK = KB.get_region("uk")
DATA = Path(__file__).parent / "data"
CASES = {
    c["id"]: c
    for c in map(json.loads, (DATA / "sheet_cases.jsonl").read_text(encoding="utf-8").splitlines())
    if c.get("id")
}
PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")


def print_pages(html_text: str, tmp_path: Path) -> int:
    page = tmp_path / "sheet.html"
    page.write_text(html_text, encoding="utf-8")
    pdf = tmp_path / "sheet.pdf"
    profile = tmp_path / "profile"
    cmd = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
        f"--print-to-pdf={pdf}",
        "--no-pdf-header-footer",
        page.resolve().as_uri(),
    ]
    done = subprocess.run(cmd, capture_output=True, timeout=180, check=False)
    assert pdf.exists() and pdf.stat().st_size > 1000, done.stderr.decode(errors="replace")[-2000:]
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    return len(PAGE.findall(data))


def sheets() -> dict[str, dict]:
    out = {"generic": sheet.build_generic(KB, UK)}
    for case_id in ("p-dvt", "p-hamstring"):
        out[case_id] = sheet.build_personal(KB, result.build(KB, engine.triage(KB, CASES[case_id]["answers"]), UK))
    return out


@pytest.mark.parametrize("paper", ["A4", "letter"])
@pytest.mark.parametrize("which", ["generic", "p-dvt", "p-hamstring"])
def test_sheet_prints_on_one_or_two_pages(tmp_path, which, paper):
    html_text = sheet.render(sheets()[which], "html")
    assert "size: A4" in html_text
    if paper == "letter":  # the same page as a US printer would lay it out
        html_text = html_text.replace("size: A4", "size: letter")
    assert print_pages(html_text, tmp_path) in (1, 2)


def test_the_page_count_is_real(tmp_path):
    """The counter sees more pages when there are more: the report's clinician part starts a new page."""
    built = result.build(KB, engine.triage(KB, CASES["p-dvt"]["answers"]), UK)
    assert print_pages(sheet.render(sheet.build_report(KB, built), "html"), tmp_path) >= 3


PDFTOTEXT = shutil.which("pdftotext")


@pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext (poppler-utils) is not installed")
@pytest.mark.parametrize("case_id", ["p-dvt", "p-hamstring"])
def test_page_one_of_the_report_is_for_the_doctor(tmp_path, case_id):
    """Printed on A4, page 1 alone says which knee, the urgency in words and the leading cause."""
    answers = CASES[case_id]["answers"]
    built = result.build(KB, engine.triage(KB, answers), UK)
    assert print_pages(sheet.render(sheet.build_report(KB, built), "html"), tmp_path) >= 2
    done = subprocess.run(
        [PDFTOTEXT, "-f", "1", "-l", "1", str(tmp_path / "sheet.pdf"), "-"], capture_output=True, text=True, check=True
    )
    page_one = " ".join(done.stdout.split())
    assert KB.finding["side"].answer_label(answers["side"]) in page_one
    assert built["urgency"]["title"] in page_one
    assert built["causes"][0]["name"] in page_one
    assert "consultation_24" not in page_one and built["urgency"]["level"] not in page_one
