"""kneetriage: a triage questionnaire for pain behind the knee.

Information, not a diagnosis. In an emergency call your emergency number.
"""

__version__ = "0.1.0"
YOUNG_OBJECTS = 50_000  # objects made (net) between collections while a command runs (see main)


def main() -> None:
    """The ``kneetriage`` command (console script and ``python -m kneetriage``): the command line, started quickly.

    Start-up is the product's speed, and a fifth of it went to the cyclic garbage collector: typer and
    rich make tens of thousands of objects that live as long as the process, and the collector walked
    them again and again while they were made, then once more at exit. So the collector is paused
    while the command line is imported and what exists then is frozen (kept out of later collections);
    the command itself runs with the collector on, first collecting once 50,000 more objects are alive
    than at its last run (Python's default is 700): a one-off command (``ask --answers``, ``sheet``)
    ends before that, while garbage that keeps growing over a long interview or evaluate run is still
    collected.
    What is still alive when the command ends is frozen too, so the exit does not walk it one last
    time (standard output is flushed and files are closed by then: the command does both itself).
    Importing kneetriage as a library changes nothing about the collector.
    """
    import gc

    gc.disable()
    try:
        from .cli import main as command_line
    finally:
        gc.freeze()
        gc.set_threshold(YOUNG_OBJECTS, *gc.get_threshold()[1:])
        gc.enable()
    try:
        command_line()
    finally:
        gc.freeze()
