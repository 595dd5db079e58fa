"""kneetriage: a triage questionnaire for pain behind the knee.

Information, not a diagnosis. In an emergency call your emergency number.
"""

__version__ = "0.1.0"
