"""Opposed pairs: two ideas that take opposite positions are never the same idea.

Sentence embeddings score "more free parking downtown" and "no more parking lots
downtown" nearly as close as two wordings of one idea: they share the topic and most
words. This rule reads the two texts' polarity from cues in Portuguese, Spanish and
English: negations ("não", "no", "not", "sem", ...) and verbs or quantities that point
one way or the other ("more"/"less", "aumentar"/"reduzir", "permitir"/"proibir", ...).

Each text gets a sign: the direction of its cues (up or down; none counts as up),
flipped by each negation. Two texts of opposite signs are opposed. So "Abrir os
postos à noite" and "Não fechar os postos à noite" agree (up; down negated), and
"Mais estacionamento" and "Menos estacionamento" do not. It is applied only to pairs
the embeddings already call the same idea: there both texts are about one thing, and
the cue words are what sets them apart.

A rule, not a model: it errs where a cue word is not about the proposal ("reduce the
waiting time with more buses" has cues both ways, which cancel to none).
"""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)

# Negations. "no" is Spanish and English for "not", but Portuguese for "in the": it
# counts only in a text with no Portuguese marker word (below).
NEGATIONS = frozenset(
    """
    not no never nor none nobody nothing without against stop dont doesnt don't
    doesn't isn't aren't won't shouldn't cannot can't anti
    nao nunca nem nenhum nenhuma ninguem nada sem contra jamais
    ningun ninguno ninguna nadie tampoco
    """.split()
)
PORTUGUESE_MARKERS = frozenset(
    "nao do da dos das uma mais em ao aos pelo pela tambem voce sao".split()
)
AMBIGUOUS_NEGATIONS = frozenset({"no"})
# "not just condos", "não só", "no solo": a negation that adds, not one that opposes.
NOT_NEGATING_NEXT = frozenset(
    "just only all so apenas somente solo sólo solamente todo todos todas".split()
)
_PORTUGUESE_LETTERS = re.compile("[ãõÃÕ]")

# Words that point up (more of something, to do it) and down (less, to undo it),
# accents removed: short ones as whole words (with a plural or verb ending), longer
# stems by prefix ("aument" covers aumentar, aumento, aumentem).
UP_WORDS = frozenset(
    """
    more add adds added build builds open opens opened allow allows allowed keep
    mais abrir abra abram abre manter mantenha mantem crear cree
    """.split()
)
DOWN_WORDS = frozenset(
    """
    less fewer cut cuts lower ban bans banned end ends ended close closes closed
    menos corte cortar corten cortem acabar acabe acabem
    """.split()
)
UP_STEMS = (
    "increas",
    "expand",
    "extend",
    "creat",
    "permit",
    "legaliz",
    "aument",
    "ampli",
    "constru",
    "criar",
    "crie",
    "criem",
    "liberar",
    "liberem",
    "autoriz",
    "permit",
)
DOWN_STEMS = (
    "reduc",
    "decreas",
    "remov",
    "eliminat",
    "prohibit",
    "forbid",
    "abolish",
    "restrict",
    "reduz",
    "diminu",
    "dismin",
    "elimin",
    "fechar",
    "feche",
    "fechem",
    "cerrar",
    "cierre",
    "proib",
    "prohib",
    "abol",
    "extin",
    "restring",
)
# "mas" is Spanish "more" (más) but Portuguese "but": up only outside Portuguese text.
AMBIGUOUS_UP = frozenset({"mas"})


def _plain(word: str) -> str:
    """Lower case without accents ("não" -> "nao", "Más" -> "mas")."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """The text's words, lower case, accents removed, apostrophes dropped."""
    return [_plain(w).replace("'", "").replace("’", "") for w in _WORD.findall(text)]


def _direction(word: str, portuguese: bool) -> int:
    if word in AMBIGUOUS_UP:
        return 0 if portuguese else 1
    up = word in UP_WORDS or word.startswith(UP_STEMS)
    down = word in DOWN_WORDS or word.startswith(DOWN_STEMS)
    return int(up) - int(down)


def looks_portuguese(text: str) -> bool:
    """Whether the text has a word or a letter only Portuguese has here."""
    return bool(_PORTUGUESE_LETTERS.search(text)) or any(
        w in PORTUGUESE_MARKERS for w in words(text)
    )


def polarity(text: str, portuguese: bool | None = None) -> int:
    """+1 or -1: the direction of the text's cues (up when none or when they cancel),
    flipped by each negation. `portuguese` None: guessed from the text."""
    found = words(text)
    if portuguese is None:
        portuguese = looks_portuguese(text)
    negations = sum(
        1
        for k, w in enumerate(found)
        if w in NEGATIONS
        and not (portuguese and w in AMBIGUOUS_NEGATIONS)
        and not (k + 1 < len(found) and found[k + 1] in NOT_NEGATING_NEXT)
    )
    direction = sum(_direction(w, portuguese) for w in found if w not in NEGATIONS)
    sign = -1 if direction < 0 else 1
    return -sign if negations % 2 else sign


def opposed(a: str, b: str) -> bool:
    """Whether two texts (already judged close) take opposite positions. Two close
    texts are taken to be in one language: Portuguese if either looks it."""
    portuguese = looks_portuguese(a) or looks_portuguese(b)
    return polarity(a, portuguese) != polarity(b, portuguese)
