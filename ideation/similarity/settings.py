"""The similarity pipeline's settings: the values tuned on ArgKP, and the one value that
carries them (with the app configuration's overrides) through the pipeline.

The defaults were tuned on ArgKP train (see bench/tune_similarity.py,
bench/similarity_quality.py and README); the app's configuration may override each,
keyed by its name here (SAME_IDEA_THRESHOLD, ...).

Three tiers (DESIGN.md): *same idea* (SAME_IDEA_THRESHOLD: the duplicate inbox, bulk
group answers and the pre-publish step), *related* (RELATED_THRESHOLD: suggestions while
typing), and themes (THEME_DIVISOR, ...).
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
# Same idea: two ideas whose centred score reaches this are offered as duplicates (the
# inbox, group answers, the pre-publish step). Chosen for precision on splits that
# neither the model nor the other knobs were tuned on (`flask similarity score-pairs`
# --group topic --context topic, shipped model): of the 46,353 pairs of arguments of
# one ArgKP dev motion, the 178 scoring 0.7 or more share a key point 91 % of the time
# (0.6: 517 pairs, 85 %; 0.35, the former value: 74 %), 8 % are of opposite stances;
# on ASSIN 2 dev, 80 % of the pairs from 0.7 have a human score of 4 or more (of 5).
SAME_IDEA_THRESHOLD = 0.7
# Related: suggestions while typing start at this score (never called duplicates).
RELATED_THRESHOLD = 0.3
# Cosine scores sit on another scale for each model, so each model shipped has its own
# (same idea, related) thresholds, used when the configuration sets none; a model not
# listed gets the module's values above.
MODEL_THRESHOLDS = {
    "models/minilm-argkp": (0.7, 0.3),
    "models/e5-small-ptes": (SAME_IDEA_THRESHOLD, RELATED_THRESHOLD),
}
# Opposed pairs (ideation.similarity.opposed): two ideas whose negation and
# more/less cues point opposite ways are never the same idea, whatever their score.
OPPOSED_RULE = True
# Each idea's nearest neighbours looked at by the duplicate scan (two ideas can be
# grouped only if one is among the other's): time and memory grow with n * k.
SAME_IDEA_NEIGHBOURS = 10
# The former name of SAME_IDEA_THRESHOLD (benchmarks import it).
DUPLICATE_THRESHOLD = SAME_IDEA_THRESHOLD
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
    same_idea_threshold: float = SAME_IDEA_THRESHOLD
    related_threshold: float = RELATED_THRESHOLD
    same_idea_neighbours: int = SAME_IDEA_NEIGHBOURS
    theme_divisor: float = THEME_DIVISOR
    themes_min: int = THEMES_MIN
    themes_max: int = THEMES_MAX
    description_weight: float = DESCRIPTION_WEIGHT
    question_context: bool = QUESTION_CONTEXT
    opposed_rule: bool = OPPOSED_RULE

    @classmethod
    def from_mapping(cls, config) -> Settings:
        """Settings from a mapping such as app.config, keyed like the module's names;
        thresholds the mapping does not set are those of its EMBEDDING_MODEL."""
        same, related = model_thresholds(config.get("EMBEDDING_MODEL"))
        values = {"same_idea_threshold": same, "related_threshold": related}
        if config.get("SAME_IDEA_THRESHOLD") is None:
            # DUPLICATE_THRESHOLD, the setting's former name, still counts.
            alias = config.get("DUPLICATE_THRESHOLD")
            if alias is not None:
                values["same_idea_threshold"] = float(alias)
        for name, f in cls.__dataclass_fields__.items():
            key = name.upper()
            if config.get(key) is not None:
                kind = type(f.default)
                values[name] = kind(config[key])
        return cls(**values)


def model_thresholds(model: str | None) -> tuple[float, float]:
    """(same idea, related) thresholds of a model (by its EMBEDDING_MODEL name)."""
    return MODEL_THRESHOLDS.get(model or "", (SAME_IDEA_THRESHOLD, RELATED_THRESHOLD))
