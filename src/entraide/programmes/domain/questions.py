"""The built-in library of evaluation questions (issue 14, part 2), in fr, de and en.

Three kinds: ``scale`` (1 to 5), ``choice`` (one of a few options), ``text`` (short free text,
which never reaches the commissioner; the intervenant reads it only when its author agreed).
A questionnaire stores the keys it uses; the wording comes from here in the reader's language.
"""

from dataclasses import dataclass

from django.utils import translation

SCALE = "scale"
CHOICE = "choice"
TEXT = "text"
SCALE_VALUES = ("1", "2", "3", "4", "5")
TEXT_MAX = 600


@dataclass(frozen=True)
class Question:
    key: str
    kind: str
    wording: dict[str, str]
    # For a choice: [(value, {language: label})]; a scale's labels are its ends.
    options: tuple[tuple[str, dict[str, str]], ...] = ()

    def text(self, language: str | None = None) -> str:
        language = (language or translation.get_language() or "fr")[:2]
        return self.wording.get(language) or self.wording["fr"]

    def choices(self, language: str | None = None) -> list[tuple[str, str]]:
        """[(value, label)] in the reader's language: 1..5 for a scale, the options for a choice."""
        language = (language or translation.get_language() or "fr")[:2]
        if self.kind == SCALE:
            return [(value, value) for value in SCALE_VALUES]
        return [(value, labels.get(language) or labels["fr"]) for value, labels in self.options]

    @property
    def values(self) -> tuple[str, ...]:
        if self.kind == SCALE:
            return SCALE_VALUES
        return tuple(value for value, _labels in self.options)


def _q(key: str, kind: str, fr: str, de: str, en: str, options=()) -> Question:
    return Question(key, kind, {"fr": fr, "de": de, "en": en}, tuple(options))


_FREQUENCY = (
    ("yes", {"fr": "Oui", "de": "Ja", "en": "Yes"}),
    ("partly", {"fr": "En partie", "de": "Teilweise", "en": "Partly"}),
    ("no", {"fr": "Non", "de": "Nein", "en": "No"}),
)

# The objectives of field document 003 ("se sentir soutenus", "un cadre sécurisant et
# bienveillant", "échanger sur les outils d'animation") turned into questions.
LIBRARY: tuple[Question, ...] = (
    _q("overall", SCALE, "Dans l'ensemble, cette séance vous a été utile.", "Insgesamt war diese Sitzung für mich hilfreich.",
       "Overall, this session was useful to you."),
    _q("safe_frame", SCALE, "Le cadre était sécurisant et bienveillant.", "Der Rahmen war sicher und wohlwollend.",
       "The frame felt safe and caring."),
    _q("supported", SCALE, "Vous vous êtes senti·e soutenu·e dans votre pratique.", "Ich habe mich in meiner Praxis unterstützt gefühlt.",
       "You felt supported in your practice."),
    _q("speaking", SCALE, "Vous avez pu prendre la parole librement.", "Ich konnte frei sprechen.", "You could speak freely."),
    _q("rhythm", CHOICE, "Le rythme des séances vous convient-il ?", "Passt Ihnen der Rhythmus der Sitzungen?",
       "Does the rhythm of the sessions suit you?", _FREQUENCY),
    _q("tools", CHOICE, "Repartez-vous avec des outils d'animation ?", "Nehmen Sie Moderationswerkzeuge mit?",
       "Do you leave with facilitation tools?", _FREQUENCY),
    _q("comment", TEXT, "Un mot pour l'intervenant·e (facultatif).", "Ein Wort an die Begleitperson (freiwillig).",
       "A word for the facilitator (optional)."),
)

BY_KEY: dict[str, Question] = {question.key: question for question in LIBRARY}
DEFAULT_KEYS: tuple[str, ...] = ("overall", "safe_frame", "supported", "rhythm", "comment")


def questions_for(keys: list[str]) -> list[Question]:
    """The questions of ``keys`` in the library's order; unknown keys are skipped."""
    wanted = set(keys)
    return [question for question in LIBRARY if question.key in wanted]
