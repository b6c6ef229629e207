"""The opposed-pair rule on hand-made pairs in Portuguese, Spanish and English."""

import pytest

from ideation.similarity.opposed import opposed, polarity


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # Portuguese
        ("Mais estacionamento gratuito no centro", "Menos estacionamento no centro"),
        ("Aumentar o número de ciclovias", "Reduzir o número de ciclovias"),
        ("Proibir carros no centro histórico", "Permitir carros no centro histórico"),
        ("Abrir os postos de saúde à noite", "Fechar os postos de saúde à noite"),
        ("Cobrar pedágio na freeway", "Não cobrar pedágio na freeway"),
        # Spanish
        ("Más autobuses nocturnos", "Menos autobuses nocturnos"),
        ("Construir un nuevo estadio", "No construir un nuevo estadio"),
        ("Prohibir los coches en el centro", "Permitir los coches en el centro"),
        # English
        ("More free parking downtown", "No more parking lots downtown"),
        ("Increase the bus fare", "Lower the bus fare"),
        ("Ban plastic bags", "Allow plastic bags"),
        ("We should build a new stadium", "We should not build a new stadium"),
    ],
)
def test_opposite_positions_are_opposed(a, b):
    assert opposed(a, b)
    assert opposed(b, a)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # Portuguese: the same idea in other words; "no" is "in the", "mas" is "but"
        ("Mais linhas de ônibus à noite", "Ampliar o transporte noturno"),
        ("Abrir os postos de saúde à noite", "Não fechar os postos de saúde à noite"),
        ("Ciclovias no centro", "Mais ciclovias no centro da cidade"),
        ("Reduzir o IPTU dos aposentados", "Diminuir o imposto predial de idosos"),
        ("Hortas comunitárias nas escolas", "Hortas nas escolas, mas com ajuda"),
        # Spanish
        ("Más autobuses nocturnos", "Ampliar el servicio de autobuses de noche"),
        ("Reducir los impuestos", "Bajar los impuestos, menos carga fiscal"),
        # English
        ("Open the clinics in the evening", "Keep health centres open at night"),
        ("Reduce car traffic downtown", "Cut the number of cars in the centre"),
        ("Plant trees in parks", "Trees for every park"),
    ],
)
def test_agreeing_texts_are_not_opposed(a, b):
    assert not opposed(a, b)


def test_polarity_is_a_sign():
    assert polarity("Sem cotas") == -1
    assert polarity("Plantar árvores") == 1
    assert polarity("") == 1


def test_the_pipeline_never_groups_opposed_ideas_when_the_rule_is_on():
    import numpy as np

    from ideation.similarity.pipeline import candidate_pairs, same_idea
    from ideation.similarity.settings import Settings

    texts = ["Mais estacionamento no centro", "Menos estacionamento no centro"]
    vectors = np.array([[1.0, 0.0], [0.999, 0.045]], dtype=np.float32)
    on = Settings(opposed_rule=True, centre_weight=0.0)
    off = Settings(opposed_rule=False, centre_weight=0.0)

    assert candidate_pairs([1, 2], vectors, texts, off)
    assert candidate_pairs([1, 2], vectors, texts, on) == []
    assert same_idea(0.99, off, *texts)
    assert not same_idea(0.99, on, *texts)
    assert same_idea(0.99, on)  # without texts, the score alone decides
