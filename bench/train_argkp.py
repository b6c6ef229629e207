"""Fine-tune all-MiniLM-L6-v2 on ArgKP train (+ STS-B train), saved for offline use.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/train_argkp.py [--base MODEL] --output DIR

One run is one recipe (epochs, learning rate, seed, hard negatives) from --base; the
shipped models/minilm-argkp took three runs in a row: see its README.md for the exact
commands. ArgKP train only (never dev): each argument with the key point annotators
matched it to, plus key points of the same topic and stance that they did not match,
as hard negatives, with MultipleNegativesRankingLoss (the other pairs in the batch are
further negatives). STS-B train pairs with CoSENTLoss are mixed in, round robin, so the
model keeps grading general sentence similarity. 10-20 minutes an epoch on 2 CPU cores.

It uses sentence-transformers' own training loop (`old_fit`, the pre-v3 `fit`), which
needs neither `datasets` nor `accelerate`. The weights are saved as float16
safetensors unless --float32 (half the size; the embedder loads them as float32).
"""

import argparse
import json
import random
import shutil
import sys
import time
from pathlib import Path

import eval_data
import numpy as np
import torch

sys.path.insert(0, str(eval_data.REPO))
from ideation.similarity.vectors import in_context

BASE = "all-MiniLM-L6-v2"


def argkp_examples(
    data: Path, rng: random.Random, negatives: int = 1, context: bool = False
) -> list[tuple[str, ...]]:
    """(argument, matched key point, unmatched key points...) of ArgKP train.

    The negatives are key points of the same topic and stance that the annotators did
    not match to the argument (padded, where a side has too few, with key points of
    the other stance of the same topic, or failing that of any topic).
    """
    labels = eval_data.argkp_labels(data, "train")
    sides = eval_data.argkp(data, "train")
    everything = sorted({k for s in sides for k in s.key_points})
    examples = []
    for side in sides:
        kp_text = dict(zip(side.key_point_ids, side.key_points, strict=True))
        others = sorted(
            k
            for s in sides
            if s.topic == side.topic and s is not side
            for k in s.key_points
        )
        for arg_id, argument in zip(side.arg_ids, side.arguments, strict=True):
            labelled = labels.get(arg_id, {})
            positives = [k for k, v in labelled.items() if v == 1 and k in kp_text]
            unmatched = sorted(k for k in side.key_point_ids if labelled.get(k) != 1)
            for kp in sorted(positives):
                if not unmatched:
                    continue
                if negatives == 1:
                    chosen = [kp_text[rng.choice(unmatched)]]
                else:
                    picked = rng.sample(unmatched, min(negatives, len(unmatched)))
                    chosen = [kp_text[k] for k in picked]
                    pad = [t for t in others if t not in chosen]
                    if len(pad) < negatives - len(chosen):  # a topic with few points
                        pad += [t for t in everything if t not in pad + chosen]
                    chosen += rng.sample(pad, negatives - len(chosen))
                example = (argument, kp_text[kp], *chosen)
                if context:
                    example = tuple(in_context(side.topic, t) for t in example)
                examples.append(example)
    return examples


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=eval_data.DEFAULT_DATA)
    parser.add_argument(
        "--output", type=Path, default=eval_data.REPO / "models" / "minilm-argkp"
    )
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--lr", type=float, default=4e-5)
    parser.add_argument(
        "--stsb-batch", type=int, default=16, help="STS-B pairs per step (0: none)"
    )
    parser.add_argument("--checkpoints", type=Path, help="save each epoch here")
    parser.add_argument(
        "--base", default=BASE, help="model to start from (default: %(default)s)"
    )
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument(
        "--negatives", type=int, default=1, help="hard negatives per argument"
    )
    parser.add_argument("--float32", action="store_true", help="save float32 weights")
    parser.add_argument(
        "--context",
        action="store_true",
        help="embed ArgKP texts in their topic's context, as the app does a question's",
    )
    args = parser.parse_args()

    from sentence_transformers import InputExample, SentenceTransformer, losses
    from sentence_transformers.sentence_transformer.datasets import (
        NoDuplicatesDataLoader,
    )
    from torch.utils.data import DataLoader

    # One thread: on a busy 2-core machine, two threads spend their time waiting on
    # each other (several times slower); on an idle one they gain little.
    torch.set_num_threads(args.threads)
    seed_everything(args.seed)
    rng = random.Random(args.seed)
    from ideation.similarity.embeddings import resolve_model

    # Train in float32 even from float16 weights (the shipped model is stored so).
    model = SentenceTransformer(
        resolve_model(args.base), device="cpu", model_kwargs={"dtype": torch.float32}
    )
    model.max_seq_length = 128

    triplets = argkp_examples(args.data, rng, args.negatives, args.context)
    argkp_loader = NoDuplicatesDataLoader(
        [InputExample(texts=list(t)) for t in triplets], batch_size=args.batch_size
    )
    objectives = [(argkp_loader, losses.MultipleNegativesRankingLoss(model))]
    n_stsb = 0
    if args.stsb_batch > 0:
        sts = eval_data.stsb(args.data, "train")
        examples = [
            InputExample(texts=[a, b], label=s / 5.0)
            for a, b, s in zip(sts.sentence1, sts.sentence2, sts.score, strict=True)
        ]
        n_stsb = len(examples)
        generator = torch.Generator().manual_seed(args.seed)
        sts_loader = DataLoader(
            examples, batch_size=args.stsb_batch, shuffle=True, generator=generator
        )
        objectives.append((sts_loader, losses.CoSENTLoss(model)))

    steps = len(argkp_loader) * args.epochs
    print(f"{len(triplets)} ArgKP triplets, {n_stsb} STS-B pairs, {steps} steps")
    started = time.time()
    model.old_fit(
        train_objectives=objectives,
        epochs=args.epochs,
        warmup_steps=int(0.1 * steps),
        optimizer_params={"lr": args.lr},
        show_progress_bar=True,
        checkpoint_path=str(args.checkpoints) if args.checkpoints else None,
        checkpoint_save_steps=len(argkp_loader),
    )
    minutes = (time.time() - started) / 60
    print(f"trained in {minutes:.1f} min")

    card = args.output / "README.md"  # the hand-written model card survives a rerun
    card_text = card.read_text(encoding="utf-8") if card.exists() else None
    if args.output.exists():
        shutil.rmtree(args.output)
    if not args.float32:
        model.half()
    model.save(str(args.output), safe_serialization=True)
    card.unlink(missing_ok=True)  # the generated card, replaced by the hand-written one
    if card_text is not None:
        card.write_text(card_text, encoding="utf-8")
    params = {k: str(v) for k, v in vars(args).items()}
    params.update(triplets=len(triplets), stsb_pairs=n_stsb, minutes=minutes)
    (args.output / "training_args.json").write_text(json.dumps(params, indent=2) + "\n")
    print("saved", args.output)


if __name__ == "__main__":
    main()
