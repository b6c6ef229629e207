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
# inbox, group answers, the pre-publish step). For the default model, e5-small-ptes
# with its settings below, chosen on dev splits (`bench/similarity_quality.py --sweep
# 0.5 0.55 0.6 0.65 0.7`): grouping whole ArgKP dev topics (both stances) at 0.6, 58
# pairs are grouped, 93 % of them sharing a key point, none of opposite stances (0.55:
# 81 pairs, 85 %, 4 opposite; 0.65: 43 pairs, 95 %); of the ASSIN 2 dev pairs scoring
# 0.6 or more, 79 % have a human score of 4 or more (of 5). On real civic text no
# threshold does well (bench/civic: precision at most 0.44 on the tune part).
SAME_IDEA_THRESHOLD = 0.6
# Related: suggestions while typing start at this score (never called duplicates).
# ASSIN 2 dev: 93 % of the pairs from 0.4 have a human score of 3 or more.
RELATED_THRESHOLD = 0.4
# Cosine scores sit on another scale for each model, so each model shipped has its own
# thresholds and context setting, used where the configuration sets none; a model not
# listed gets the module's values. minilm-argkp's were chosen on ArgKP dev
# (`flask similarity score-pairs --group topic --context topic`): of the 46,353 pairs
# of arguments of one motion, the 178 from 0.7 share a key point 91 % of the time; the
# question's title before each idea raised its ArgKP dev top-1 from 0.735 to 0.753.
# e5-small-ptes also embeds ideas after the title (ArgKP dev top-1 0.732 so, 0.671
# bare), but is centred with a prior of 2: the title is shared by every idea, and with
# the prior of 10 the four ideas of a new question all scored 0.69-0.79 against a
# typed idea, related or not (tests/functional/test_similar.py, Portuguese); with 2,
# 0.50 for the related one and under 0.4 for the others. Large questions are centred
# about as much either way (n / (n + prior)).
MODEL_DEFAULTS = {
    "models/minilm-argkp": {
        "same_idea_threshold": 0.7,
        "related_threshold": 0.3,
        "question_context": True,
    },
    "models/e5-small-ptes": {
        "same_idea_threshold": SAME_IDEA_THRESHOLD,
        "related_threshold": RELATED_THRESHOLD,
        "question_context": True,
        "centre_prior": 2.0,
    },
}
# Opposed pairs (ideation.similarity.opposed): when on, two ideas whose negation and
# more/less cues point opposite ways are never the same idea, whatever their score.
# Off: measured, it does more harm than good. On the 639 labelled civic pairs
# (bench/civic) it calls 69 pairs opposed: 2 of the 6 labelled opposed, and 6 of the
# 37 duplicates; on the civic tune part at 0.6 it takes the flagged pairs from 12 to 9,
# one of them a duplicate, and keeps the opposed one. On ArgKP dev topics at 0.6 it
# cuts the pairs grouped from 58 to 47 (precision 93 % -> 94 %; none cross-stance
# either way).
OPPOSED_RULE = False
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
        values = dict(MODEL_DEFAULTS.get(config.get("EMBEDDING_MODEL") or "", {}))
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


def model_settings(model: str | None) -> Settings:
    """A model's own settings (by its EMBEDDING_MODEL name), no configuration."""
    return Settings.from_mapping({"EMBEDDING_MODEL": model})
