"""The similarity pipeline's settings: the values tuned on ArgKP, and the one value that
carries them (with the app configuration's overrides) through the pipeline.

The defaults were tuned on ArgKP train (see bench/tune_similarity.py,
bench/similarity_quality.py and README); the app's configuration may override each,
keyed by its name here (DUPLICATE_THRESHOLD, ...).
"""

from __future__ import annotations

from dataclasses import dataclass

# Centring: subtract CENTRE_WEIGHT * n / (n + CENTRE_PRIOR) times the mean of n vectors,
# so a question with a handful of ideas is barely centred (their mean is mostly
# themselves) and one with hundreds is centred fully. Weight 1 was best on ArgKP train
# (stock model: top-1 0.54 -> 0.59); priors 0 and 10 tie there, and 10 spares small
# questions.
CENTRE_WEIGHT = 1.0
CENTRE_PRIOR = 10.0
# Two ideas whose score reaches this are offered as near-duplicates: the best ARI on
# ArgKP train among thresholds whose grouped pairs share a key point 90 % of the time
# (0.1 has the best ARI overall, but lumps whole key points: ~15 ideas, 73 % right).
DUPLICATE_THRESHOLD = 0.35
DUPLICATE_LINKAGE = "average"  # single | average | complete, within each candidate set
# Themes: k = clip(round(sqrt(n) / THEME_DIVISOR), THEMES_MIN, THEMES_MAX); 3 had the
# best ARI on ArgKP train among divisors that give 1,000 ideas 10-25 themes (11).
THEME_DIVISOR = 3.0
THEMES_MIN = 2
THEMES_MAX = 25
THEME_MIN_IDEAS = 6  # fewer ideas than this make one theme
# Each idea (and the text a citizen types) is embedded after its question's title
# (in_context). ArgKP dev top-1 of the shipped model, centred: 0.735 bare, 0.753 so
# (bench/similarity_quality.py). Off: texts are embedded bare.
QUESTION_CONTEXT = True
# An idea's vector: title and description embedded apart, then
# normalise(title + DESCRIPTION_WEIGHT * description). Not tuned (ArgKP has no titles).
DESCRIPTION_WEIGHT = 0.5


@dataclass(frozen=True)
class Settings:
    """The knobs above, as one value; the app's configuration may override each."""

    centre_weight: float = CENTRE_WEIGHT
    centre_prior: float = CENTRE_PRIOR
    duplicate_threshold: float = DUPLICATE_THRESHOLD
    duplicate_linkage: str = DUPLICATE_LINKAGE
    theme_divisor: float = THEME_DIVISOR
    themes_min: int = THEMES_MIN
    themes_max: int = THEMES_MAX
    description_weight: float = DESCRIPTION_WEIGHT
    question_context: bool = QUESTION_CONTEXT

    @classmethod
    def from_mapping(cls, config) -> Settings:
        """Settings from a mapping such as app.config, keyed like the module's names."""
        values = {}
        for name, f in cls.__dataclass_fields__.items():
            key = name.upper()
            if config.get(key) is not None:
                kind = type(f.default)
                values[name] = kind(config[key])
        return cls(**values)
