"""Matching recomputed clusters to old themes by their shared ideas; stop words of
the three languages kept out of theme labels."""

from ideation.similarity.phrases import stop_words
from ideation.similarity.themes import theme_labels
from ideation.themes.matching import jaccard, match_themes


def test_jaccard():
    assert jaccard({1, 2}, {2, 3}) == 1 / 3
    assert jaccard(set(), set()) == 0.0


def test_a_cluster_that_grew_keeps_its_theme():
    old = {10: {1, 2, 3, 4}, 11: {5, 6, 7, 8}}
    new = [{5, 6, 7, 8, 9}, {1, 2, 3, 4}]
    assert match_themes(old, new, 0.5) == {0: 11, 1: 10}


def test_each_old_theme_goes_on_at_most_once():
    old = {10: {1, 2, 3, 4}}
    new = [{1, 2, 3}, {4}]
    assert match_themes(old, new, 0.2) == {0: 10}


def test_a_reshuffled_cluster_is_a_new_theme():
    old = {10: {1, 2, 3, 4}, 11: {5, 6, 7, 8}}
    new = [{1, 2, 5, 6}, {3, 4, 7, 8}]
    assert match_themes(old, new, 0.5) == {}


def test_no_old_themes():
    assert match_themes({}, [{1, 2}], 0.5) == {}


def test_portuguese_spanish_and_english_stop_words():
    words = stop_words()
    for word in ("para", "com", "não", "nao", "você", "voce", "los", "del", "the"):
        assert word in words
    for word in ("saúde", "escola", "ônibus", "salud", "clinic"):
        assert word not in words


def test_theme_labels_carry_no_stop_words():
    texts = [
        "Mais ônibus para o hospital de noite",
        "Ônibus para o hospital com mais horários",
        "Árvores nas praças da cidade",
        "Mais árvores para as praças",
    ]
    labels = theme_labels(texts, [0, 0, 1, 1])
    chosen = {
        word for keywords in labels.values() for k in keywords for word in k.split()
    }
    assert chosen and not chosen & stop_words()
    assert any("ônibus" in k for k in labels[0])
