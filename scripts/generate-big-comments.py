#!/usr/bin/env python3
"""Writes N comments of about SIZE bytes each as JSON lines, for `scripts/memory-ceiling`.

Each body is built from the same mix of sentences as `generate-comments.py` (plain text,
spam shapes, links, HTML tags and entities, Cyrillic and Japanese text), so that every
normalised view and the link extractor have real work, and differs from comment to comment.
Deterministic (seeded). `--kind` picks what the body is made of:

- `mixed` (default): the sentence mix above.
- `expanding`: the characters whose normalised view is largest per input byte: U+FDFA
  (3 bytes, 18 characters after compatibility folding), entities and tags, double spaces.
  The worst case for memory per byte, not a realistic comment.

    python3 scripts/generate-big-comments.py -n 1024 --size 1M -o out/big-1m.jsonl
"""
import argparse
import json
import random
import sys

PIECES = ["I watched this last night, the ferry scene was perfect. ",
          "Que filme lindo, the soundtrack is on repeat here. ",
          "Фильм очень трогательный, я плакал дважды. ",
          "この映画が大好きです。字幕が読みにくかった。 ",
          "<p>The lead actor <b>deserved</b> an award &amp; more.</p> ",
          "See <a href=\"https://en.wikipedia.org/wiki/Film\">the article</a>. ",
          "check out my channel for more covers ",
          "buy cheap v1agra without prescription at www.example.org/{n} ",
          "best online casino bonus, free spins at http://203.0.113.{o}/spin ",
          "Caf&eacute; d&#233;j&#x E0; vu, ｆｕｌｌｗｉｄｔｈ text\u200b here. \n"]
EXPANDING = ["\ufdfa", "\ufdfa\ufdfa", "&#xFDFA;", "<b>", "a  ", "\u0130", "\ufb01", " "]


def size(text):
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    return int(text[:-1]) * units[text[-1].upper()] if text[-1].upper() in units else int(text)


def body(rng, target, kind):
    parts, length = [], 0
    pieces = PIECES if kind == "mixed" else EXPANDING
    while length < target:
        piece = rng.choice(pieces).format(n=rng.randrange(10**6), o=rng.randrange(256))
        parts.append(piece)
        length += len(piece.encode())
    return "".join(parts)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=1024)
    parser.add_argument("--size", default="1M", help="bytes of each body (64K, 1M, 16M)")
    parser.add_argument("--kind", choices=["mixed", "expanding"], default="mixed")
    parser.add_argument("-o", "--output", default="-")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    # A body a little under the size, so that the whole line (fields, JSON escapes) stays
    # near it; the record limit is checked by the caller, not here.
    target = size(args.size) * 9 // 10
    out = sys.stdout if args.output == "-" else open(args.output, "w", encoding="utf-8")
    for index in range(args.n):
        name = f"user{rng.randrange(5000)}"
        record = {"id": f"big{index}", "post": rng.randrange(1, 400), "author": name,
                  "author_email": f"{name}@example.com", "ip": f"198.51.100.{rng.randrange(256)}",
                  "date": "2026-06-01T12:00:00Z", "body": body(rng, target, args.kind)}
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
    out.close()


if __name__ == "__main__":
    main()
