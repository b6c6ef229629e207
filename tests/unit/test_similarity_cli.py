"""`flask similarity score-pairs` and `cluster` on small CSV files."""

import csv

import numpy as np
import pytest

from ideation.similarity.commands import similarity_cli
from ideation.similarity.embeddings import reset_embedders

IDEAS = [
    ("health", "The clinic should open at night"),
    ("health", "Clinics should open at night"),
    ("health", "Hire more nurses for the hospital"),
    ("health", "More nurses in the hospital please"),
    ("health", "Free dental care for children"),
    ("parks", "Plant more trees in the parks"),
    ("parks", "Plant more trees in parks"),
    ("parks", "Repair the potholes on Main Street"),
]


@pytest.fixture
def cli(app):
    """A CLI runner on an app using the fake embedder, with the group registered."""
    app.config["EMBEDDING_MODEL"] = "fake"
    app.config["EMBEDDING_FAKE_DIMENSION"] = 256
    app.cli.add_command(similarity_cli)
    reset_embedders()
    yield app.test_cli_runner()
    reset_embedders()


def write_csv(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        return reader.fieldnames, list(reader)


def test_score_pairs_adds_a_score_and_keeps_every_column(cli, tmp_path):
    source = write_csv(
        tmp_path / "pairs.csv",
        ["id", "left", "right", "question", "note"],
        [
            (
                1,
                "Open the clinic at night",
                "The clinic should open at night",
                "q1",
                "é",
            ),
            (2, "Open the clinic at night", "Plant trees in the park", "q1", ""),
            (3, "Build a skate park", "A skate park for teenagers", "q2", "x"),
        ],
    )
    out = tmp_path / "scored.csv"
    args = ["similarity", "score-pairs", str(source), "--a", "left", "--b", "right"]
    result = cli.invoke(args=[*args, "--group", "question", "-o", str(out)])
    assert result.exit_code == 0, result.output
    fieldnames, rows = read_csv(out)
    assert fieldnames == [
        "id",
        "left",
        "right",
        "question",
        "note",
        "score",
        "duplicate",
    ]
    assert [r["id"] for r in rows] == ["1", "2", "3"] and rows[0]["note"] == "é"
    scores = [float(r["score"]) for r in rows]
    assert all(-1 <= s <= 1 for s in scores)
    assert scores[0] > scores[1]
    threshold = cli.app.config["SAME_IDEA_THRESHOLD"]
    assert [r["duplicate"] for r in rows] == [str(int(s >= threshold)) for s in scores]


def test_score_pairs_marks_duplicates_as_the_inbox_decides(cli, tmp_path):
    source = write_csv(
        tmp_path / "pairs.csv",
        ["left", "right"],
        [("Open the clinic at night", "Open the clinic at night, please")] * 2
        + [("Open the clinic at night", "Plant trees in the park")],
    )
    out = tmp_path / "scored.csv"
    for threshold, want in ((0.35, ["1", "1", "0"]), (0.999, ["0", "0", "0"])):
        cli.app.config["SAME_IDEA_THRESHOLD"] = threshold
        args = ["similarity", "score-pairs", str(source), "--a", "left"]
        result = cli.invoke(args=[*args, "--b", "right", "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert [r["duplicate"] for r in read_csv(out)[1]] == want


def test_score_pairs_names_a_missing_column(cli, tmp_path):
    source = write_csv(tmp_path / "pairs.csv", ["left", "right"], [("a", "b")])
    result = cli.invoke(
        args=["similarity", "score-pairs", str(source), "--a", "left", "--b", "nope"]
        + ["-o", str(tmp_path / "out.csv")]
    )
    assert result.exit_code != 0
    assert "no column nope" in result.output


def test_cluster_groups_near_duplicates_within_each_group(cli, tmp_path):
    source = write_csv(tmp_path / "ideas.csv", ["question", "idea"], IDEAS)
    out = tmp_path / "clustered.csv"
    result = cli.invoke(
        args=["similarity", "cluster", str(source), "--text", "idea"]
        + ["--group", "question", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    fieldnames, rows = read_csv(out)
    assert fieldnames == ["question", "idea", "duplicate_group", "theme"]
    group = [r["duplicate_group"] for r in rows]
    assert group[0] == group[1]  # the clinic at night, twice
    assert group[5] == group[6]  # trees in parks, twice
    assert group[0] != group[4] and group[5] != group[7]
    # Numbers are unique across the file: no health idea shares a parks number.
    assert not {group[i] for i in range(5)} & {group[i] for i in range(5, 8)}
    assert all(r["theme"].isdigit() for r in rows)


def test_cluster_with_the_real_model(app, tmp_path):
    app.config["EMBEDDING_MODEL"] = "models/minilm-argkp"
    app.cli.add_command(similarity_cli)
    reset_embedders()
    source = write_csv(tmp_path / "ideas.csv", ["question", "idea"], IDEAS)
    out = tmp_path / "clustered.csv"
    result = app.test_cli_runner().invoke(
        args=["similarity", "cluster", str(source), "--text", "idea", "-o", str(out)]
    )
    reset_embedders()
    assert result.exit_code == 0, result.output
    _, rows = read_csv(out)
    group = [r["duplicate_group"] for r in rows]
    assert group[0] == group[1]
    assert group[2] == group[3]
    assert len({group[0], group[2], group[4], group[5], group[7]}) == 5


def test_context_column_embeds_each_text_after_its_question(cli, tmp_path):
    from ideation.similarity.embeddings import FakeEmbedder
    from ideation.similarity.vectors import score_pairs

    rows = [
        ("Open the clinic at night", "Clinics open late", "How to improve health?"),
        ("Open the clinic at night", "Plant trees", "How to improve health?"),
    ]
    source = write_csv(tmp_path / "pairs.csv", ["a", "b", "question"], rows)
    args = ["similarity", "score-pairs", str(source), "--a", "a", "--b", "b"]
    out, bare = tmp_path / "context.csv", tmp_path / "bare.csv"
    result = cli.invoke(args=[*args, "--context", "question", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert cli.invoke(args=[*args, "-o", str(bare)]).exit_code == 0

    scores = [float(r["score"]) for r in read_csv(out)[1]]
    expected = score_pairs(
        [r[0] for r in rows],
        [r[1] for r in rows],
        FakeEmbedder(256),
        contexts=[r[2] for r in rows],
    )
    np.testing.assert_allclose(scores, expected, atol=1e-6)
    assert scores != [float(r["score"]) for r in read_csv(bare)[1]]

    clustered = tmp_path / "clustered.csv"
    result = cli.invoke(
        args=["similarity", "cluster", str(source), "--text", "a"]
        + ["--context", "question", "-o", str(clustered)]
    )
    assert result.exit_code == 0, result.output
    assert read_csv(clustered)[0] == ["a", "b", "question", "duplicate_group", "theme"]


def test_context_column_must_exist(cli, tmp_path):
    source = write_csv(tmp_path / "ideas.csv", ["idea"], [("Plant trees",)])
    result = cli.invoke(
        args=["similarity", "cluster", str(source), "--text", "idea"]
        + ["--context", "question", "-o", str(tmp_path / "out.csv")]
    )
    assert result.exit_code != 0
    assert "no column question" in result.output
