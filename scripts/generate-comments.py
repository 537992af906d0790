#!/usr/bin/env python3
"""Writes N synthetic comments as JSON lines, for load runs of `moderate run`.

Deterministic (seeded): the same N gives the same bytes. A mix of ordinary comments,
spam shapes the default rules know, links, non-Latin text, and an occasional long body.

    python3 scripts/generate-comments.py -n 100000 -o out/comments-100k.jsonl
"""
import argparse
import json
import random

OPENINGS = ["I watched this last night", "Saw it at a festival", "My library had a copy",
            "Thanks for the review", "The ending stayed with me", "I disagree about the pacing",
            "Que filme lindo", "Фильм очень трогательный", "この映画が大好きです"]
DETAILS = ["the ferry scene was perfect", "the subtitles were hard to read",
           "the soundtrack is on repeat here", "the lead actor deserved an award",
           "it reminded me of my own first year in a new city", "I cried twice"]
SPAM = ["check out my channel for more covers", "sub4sub! subscribe to my channel",
        "I earn $400 a day working from home, contact me on WhatsApp +1 555 0100",
        "buy cheap viagra without prescription", "Great post! visit http://bit.ly/{n}",
        "best online casino bonus, free spins at http://203.0.113.{o}/spin",
        "hot singles in your area"]
LINKS = ["https://en.wikipedia.org/wiki/Film", "https://www.youtube.com/watch?v={n}", "www.example.org/{n}"]


def comment(rng, index):
    roll = rng.random()
    if roll < 0.25:
        body = rng.choice(SPAM).format(n=rng.randrange(10**6), o=rng.randrange(256))
    else:
        body = f"{rng.choice(OPENINGS)}, {rng.choice(DETAILS)}."
        if roll < 0.35:
            body += " " + rng.choice(LINKS).format(n=rng.randrange(10**6))
        if roll > 0.999:
            body += " " + " ".join(rng.choice(DETAILS) for _ in range(2000))
    name = f"user{rng.randrange(5000)}"
    return {
        "id": f"g{index}",
        "post": rng.randrange(1, 400),
        "author": name,
        "author_email": f"{name}@example.com",
        "ip": f"198.51.100.{rng.randrange(256)}",
        "date": f"2026-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}T12:00:00Z",
        "body": body,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=100_000)
    parser.add_argument("-o", "--output", default="-")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    out = open(args.output, "w", encoding="utf-8") if args.output != "-" else None
    try:
        for index in range(args.n):
            line = json.dumps(comment(rng, index), ensure_ascii=False) + "\n"
            (out.write(line) if out else print(line, end=""))
    finally:
        if out:
            out.close()


if __name__ == "__main__":
    main()
