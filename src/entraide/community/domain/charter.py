"""The default group charter, from the field documents (003 and 004).

"Les conditions de succès d'un groupe d'échange de pratique sont le volontariat, le non
jugement et la confiance, l'engagement des participants à venir à tous les ateliers pour que
le groupe fonctionne" and "la confidentialité des échanges par rapport à l'extérieur du groupe
s'impose".
"""

from django.utils import translation
from django.utils.translation import gettext as _


def charter_points() -> list[tuple[str, str]]:
    """(key, text) of the four commitments each member accepts before their first session."""
    return [
        ("volunteering", _("Volunteering: I take part of my own free will.")),
        ("non_judgement", _("Non-judgement: I listen to others and their practice without judging them.")),
        (
            "confidentiality",
            _("Confidentiality: what is said in the group stays in the group; I share nothing of it outside."),
        ),
        (
            "commitment",
            _("Commitment: I undertake to attend every session, and to excuse myself in advance when I cannot."),
        ),
    ]


def default_charter(language: str) -> str:
    with translation.override(language):
        return "\n".join(f"- {text}" for _key, text in charter_points())


def charter_commitments() -> list[tuple[str, str]]:
    """(key, short name) of the same four commitments: what a member ticks to accept."""
    return [
        ("volunteering", _("I take part of my own free will (volunteering).")),
        ("non_judgement", _("I do not judge (non-judgement).")),
        ("confidentiality", _("What is said in the group stays in the group (confidentiality).")),
        ("commitment", _("I undertake to attend every session (commitment).")),
    ]
