"""Words two texts share: the phrases the duplicate inbox highlights. Pure Python."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Portuguese and Spanish lists of the stop-words package (English: scikit-learn's,
# shorter than the package's, which holds content words such as "able").
STOP_WORD_LANGUAGES = ("portuguese", "spanish")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """Stop words of the languages ideas are written in, never a phrase's edge or a
    keyword: English from scikit-learn, Portuguese and Spanish from the stop-words
    package (one list for all three, since a question's ideas mix them); each word
    also without its accents, as many people type on phones ("nao", "voce")."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS
    from stop_words import get_stop_words

    words = set(ENGLISH_STOP_WORDS)
    for language in STOP_WORD_LANGUAGES:
        words.update(word.lower() for word in get_stop_words(language))
    return frozenset(words | {_unaccented(word) for word in words})


def _unaccented(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words_of(text: str) -> list[str]:
    """The text's lower-cased words, apostrophes inside words kept."""
    return _WORD.findall(text.lower())


def shared_phrases(text_a: str, text_b: str, max_phrases: int = 5) -> list[str]:
    """The longest word sequences two texts share, stop words only at no edge."""
    stop = stop_words()
    a, b = words_of(text_a), words_of(text_b)
    used_a, used_b = [False] * len(a), [False] * len(b)
    phrases: list[str] = []
    # Every common run (length, start in a, start in b), then the longest first.
    runs = []
    previous = [0] * (len(b) + 1)
    for i in range(1, len(a) + 1):
        current = [0] * (len(b) + 1)
        for j in range(1, len(b) + 1):
            if a[i - 1] == b[j - 1]:
                current[j] = previous[j - 1] + 1
                runs.append((current[j], i - current[j], j - current[j]))
        previous = current
    runs.sort(key=lambda run: (-run[0], run[1], run[2]))
    for length, i, j in runs:
        if any(used_a[i : i + length]) or any(used_b[j : j + length]):
            continue
        words = a[i : i + length]
        start, end = 0, len(words)
        while start < end and words[start] in stop:
            start += 1
        while end > start and words[end - 1] in stop:
            end -= 1
        if start == end:
            continue
        # Only a maximal run is taken, so its sub-runs never come back as phrases.
        used_a[i : i + length] = [True] * length
        used_b[j : j + length] = [True] * length
        phrase = " ".join(words[start:end])
        if phrase not in phrases:
            phrases.append(phrase)
        if len(phrases) == max_phrases:
            break
    return phrases
