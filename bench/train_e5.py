"""Fine-tune models/e5-small-ptes on TRAIN splits only (pt, es, en), word table frozen.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/train_e5.py --steps 300 --output DIR

Round robin over two objectives, one batch of each per step:
- CoSENTLoss on human similarity scores, scaled to 0-1: ASSIN 2 train (1-5), ASSIN 1
  pt-BR train (1-5), STS-B train in English, Portuguese and Spanish (0-5), shuffled
  together (../shared/data/pt and stsb; never a dev file);
- MultipleNegativesRankingLoss on ArgKP train (argument, matched key point, one
  unmatched key point of the same topic and stance), in the topic's context as the app
  embeds ideas (bench/train_argkp.py's examples).

The word-embedding table (18.6 M of the model's 40 M weights) stays frozen, so the
result differs from the base only in the encoder: `--delta FILE` saves just those
weights (float16), which models/build_e5.py applies over the package's table. Texts are
embedded with the model's "query: " prompt, as the app embeds them. Choose on dev with
bench/similarity_quality.py --model-e5 DIR.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

import eval_data
import numpy as np
import torch
from train_argkp import argkp_examples, seed_everything

sys.path.insert(0, str(eval_data.REPO))
from ideation.similarity.embeddings import E5_MODEL, resolve_model

FROZEN = "embeddings.word_embeddings.weight"


def scored_pairs(data: Path) -> list[tuple[str, str, float]]:
    """(sentence, sentence, similarity 0-1) from the train splits only."""
    pairs = []
    for name, low, high in (
        ("ASSIN 2", 1, 5),
        ("ASSIN 1 pt-BR", 1, 5),
        ("STS-B en", 0, 5),
        ("STS-B pt", 0, 5),
        ("STS-B es", 0, 5),
    ):
        sts = eval_data.pair_set(data, name, "train")
        for a, b, s in zip(sts.sentence1, sts.sentence2, sts.score, strict=True):
            pairs.append((a, b, (s - low) / (high - low)))
    return pairs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=eval_data.DEFAULT_DATA)
    parser.add_argument("--base", default=E5_MODEL)
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--delta", type=Path, help="also save the encoder weights here")
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--sts-batch", type=int, default=32)
    parser.add_argument("--argkp-batch", type=int, default=16, help="0: no ArgKP")
    parser.add_argument("--lr", type=float, default=2e-5)
    parser.add_argument("--seed", type=int, default=21)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()

    from sentence_transformers import InputExample, SentenceTransformer, losses
    from sentence_transformers.sentence_transformer.datasets import (
        NoDuplicatesDataLoader,
    )
    from torch.utils.data import DataLoader

    torch.set_num_threads(args.threads)
    seed_everything(args.seed)
    rng = random.Random(args.seed)
    model = SentenceTransformer(
        resolve_model(args.base), device="cpu", model_kwargs={"dtype": torch.float32}
    )
    model.max_seq_length = 128
    # old_fit does not apply the default prompt: put it in the texts, as encode does.
    prompt = model.prompts.get(model.default_prompt_name or "", "")
    for name, weight in model.named_parameters():
        if name.endswith(FROZEN):
            weight.requires_grad_(False)

    pairs = scored_pairs(args.data)
    sts = [InputExample(texts=[prompt + a, prompt + b], label=s) for a, b, s in pairs]
    generator = torch.Generator().manual_seed(args.seed)
    objectives = [
        (
            DataLoader(
                sts, batch_size=args.sts_batch, shuffle=True, generator=generator
            ),
            losses.CoSENTLoss(model),
        )
    ]
    triplets = []
    if args.argkp_batch:
        triplets = argkp_examples(args.data, rng, 1, context=True)
        loader = NoDuplicatesDataLoader(
            [InputExample(texts=[prompt + t for t in x]) for x in triplets],
            batch_size=args.argkp_batch,
        )
        objectives.append((loader, losses.MultipleNegativesRankingLoss(model)))
    print(
        f"{len(pairs)} scored pairs, {len(triplets)} ArgKP triplets, {args.steps} steps"
    )
    started = time.time()
    model.old_fit(
        train_objectives=objectives,
        epochs=1,
        steps_per_epoch=args.steps,
        warmup_steps=int(0.1 * args.steps),
        optimizer_params={"lr": args.lr},
        show_progress_bar=True,
    )
    minutes = (time.time() - started) / 60
    print(f"trained in {minutes:.1f} min")
    model.half()
    model.save(str(args.output), safe_serialization=True)
    (args.output / "README.md").unlink(missing_ok=True)
    params = {k: str(v) for k, v in vars(args).items()}
    params.update(pairs=len(pairs), triplets=len(triplets), minutes=minutes)
    (args.output / "training_args.json").write_text(json.dumps(params, indent=2) + "\n")
    if args.delta:
        from safetensors.torch import save_file

        bert = model[0].auto_model
        weights = {
            k: v.detach().half().contiguous()
            for k, v in bert.state_dict().items()
            if k != FROZEN and not k.endswith("position_ids")
        }
        save_file(weights, str(args.delta), metadata={"base": "e5-small-ptes"})
        print("saved", args.delta, f"{args.delta.stat().st_size / 1e6:.0f} MB")
    print("saved", args.output)


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
