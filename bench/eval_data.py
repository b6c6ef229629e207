"""Readers for the shared evaluation data (ArgKP, STS Benchmark), plain csv.

The data lives outside the repository, in ../shared/data (see its README for the
licences); nothing read here is copied into the repository.
"""

import csv
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO.parent / "shared" / "data"


def read_csv(path: Path) -> list[dict]:
    """All rows of a UTF-8 csv file as dicts (empty cells stay empty strings)."""
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@dataclass
class Stsb:
    sentence1: list[str]
    sentence2: list[str]
    score: list[float]


def stsb(data: Path, split: str) -> Stsb:
    """STS Benchmark pairs of one split ("train" or "dev") with scores 0-5."""
    rows = [
        r for r in read_csv(data / "stsb" / "stsb_train_dev.csv") if r["split"] == split
    ]
    return Stsb(
        [r["sentence1"] for r in rows],
        [r["sentence2"] for r in rows],
        [float(r["score"]) for r in rows],
    )


@dataclass
class ArgkpSide:
    """The arguments and key points of one topic and one stance."""

    topic: str
    stance: str
    arguments: list[str]
    arg_ids: list[str]
    cluster_ids: list[str]  # "" when the argument matched zero or several key points
    kp_ids: list[str]  # the matched key point for single-match arguments, else ""
    key_points: list[str]
    key_point_ids: list[str]


def argkp(data: Path, split: str) -> list[ArgkpSide]:
    """ArgKP arguments and key points of one split, grouped by topic and stance."""
    sides: dict[tuple[str, str], ArgkpSide] = {}

    def side(topic, stance):
        key = (topic, stance)
        if key not in sides:
            sides[key] = ArgkpSide(topic, stance, [], [], [], [], [], [])
        return sides[key]

    for r in read_csv(data / "argkp" / "argkp_clusters_train_dev.csv"):
        if r["split"] != split:
            continue
        s = side(r["topic"], r["stance"])
        s.arguments.append(r["argument"])
        s.arg_ids.append(r["arg_id"])
        s.cluster_ids.append(r["cluster_id"])
        s.kp_ids.append(r["key_point_id"] if r["cluster_id"] else "")
    for r in read_csv(data / "argkp" / f"key_points_{split}.csv"):
        s = side(r["topic"], r["stance"])
        s.key_points.append(r["key_point"])
        s.key_point_ids.append(r["key_point_id"])
    return [sides[k] for k in sorted(sides)]


def argkp_labels(data: Path, split: str) -> dict[str, dict[str, int]]:
    """For each argument id, its labelled key points: {kp_id: 1 match / 0 no match}."""
    labels: dict[str, dict[str, int]] = defaultdict(dict)
    for r in read_csv(data / "argkp" / f"labels_{split}.csv"):
        labels[r["arg_id"]][r["key_point_id"]] = int(r["label"])
    return labels


# Sentence-similarity sets in other languages (../shared/data/pt; see its README for the
# sources, licences and citations): name -> file stem ("<stem>_<split>.csv").
PAIR_SETS = {
    "ASSIN 2": "assin2",
    "ASSIN 1 pt-BR": "assin1_ptbr",
    "STS-B pt": "stsb_pt",
    "STS-B es": "stsb_es",
}


def pair_set(data: Path, name: str, split: str) -> Stsb:
    """Pairs with human scores: "STS-B en" (stsb/), or one of PAIR_SETS (pt/)."""
    if name == "STS-B en":
        return stsb(data, split)
    rows = read_csv(data / "pt" / f"{PAIR_SETS[name]}_{split}.csv")
    return Stsb(
        [r["sentence1"] for r in rows],
        [r["sentence2"] for r in rows],
        [float(r["score"]) for r in rows],
    )


def pair_set_rows(data: Path, name: str, split: str) -> list[dict]:
    """The raw rows of one of PAIR_SETS (with `entailment` for the ASSIN sets)."""
    return read_csv(data / "pt" / f"{PAIR_SETS[name]}_{split}.csv")
