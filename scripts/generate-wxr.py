#!/usr/bin/env python3
"""Writes a synthetic WordPress export (WXR) of about the given size, for memory and speed
runs of `moderate run` on XML. Streams as it writes, so any size fits.

Deterministic (seeded). Posts with a long body and 5 to 60 comments each: ordinary comments,
replies, pingbacks and trackbacks, spam shapes the default rules know, non-Latin text, HTML
in CDATA, a CDATA section split around `]]>`, escaped HTML outside CDATA, and every
thousandth post with one comment of about 200 KB.

    python3 scripts/generate-wxr.py --megabytes 1024 -o out/export-1g.xml
"""
import argparse
import random
import sys

sys.path.insert(0, __import__("os").path.dirname(__file__))
from importlib import import_module

comments = import_module("generate-comments")

HEAD = """<?xml version="1.0" encoding="UTF-8" ?>
<!-- generator="scripts/generate-wxr.py" -->
<rss version="2.0"
\txmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
\txmlns:content="http://purl.org/rss/1.0/modules/content/"
\txmlns:dc="http://purl.org/dc/elements/1.1/"
\txmlns:wp="http://wordpress.org/export/1.2/"
>
<channel>
\t<title>Generated film blog</title>
\t<link>https://generated.example</link>
\t<wp:wxr_version>1.2</wp:wxr_version>
"""
TAIL = "</channel>\n</rss>\n"


def cdata(text):
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def write_comment(out, rng, comment_id, parent, post_index):
    c = comments.comment(rng, comment_id)
    kind = rng.random()
    ctype = "pingback" if kind < 0.03 else "trackback" if kind < 0.04 else "comment"
    body = c["body"]
    if kind > 0.97:
        body = f"<p>{body}</p> <code>a[b[0]]]> 1</code>"
    content = escape(body) if 0.5 < kind < 0.6 else cdata(body)
    if post_index % 1000 == 999 and parent == 0 and rng.random() < 0.05:
        content = cdata(" ".join(rng.choice(comments.DETAILS) for _ in range(6000)))
    status = rng.choice(["1", "1", "1", "0", "spam"])
    out.write(f"""\t\t<wp:comment>
\t\t\t<wp:comment_id>{comment_id}</wp:comment_id>
\t\t\t<wp:comment_author>{cdata(c["author"])}</wp:comment_author>
\t\t\t<wp:comment_author_email>{cdata(c["author_email"])}</wp:comment_author_email>
\t\t\t<wp:comment_author_url>{escape(c.get("author_url", ""))}</wp:comment_author_url>
\t\t\t<wp:comment_author_IP>{cdata(c["ip"])}</wp:comment_author_IP>
\t\t\t<wp:comment_date>{cdata(c["date"])}</wp:comment_date>
\t\t\t<wp:comment_date_gmt>{cdata(c["date"])}</wp:comment_date_gmt>
\t\t\t<wp:comment_content>{content}</wp:comment_content>
\t\t\t<wp:comment_approved>{cdata(status)}</wp:comment_approved>
\t\t\t<wp:comment_type>{cdata(ctype)}</wp:comment_type>
\t\t\t<wp:comment_parent>{parent}</wp:comment_parent>
\t\t\t<wp:comment_user_id>0</wp:comment_user_id>
\t\t</wp:comment>
""")


class CountingWriter:
    """A binary file that counts what it wrote (tell() on a text file is slow)."""

    def __init__(self, path):
        self.file = open(path, "wb")
        self.written = 0

    def write(self, text):
        data = text.encode("utf-8")
        self.file.write(data)
        self.written += len(data)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=100, help="approximate size of the file")
    parser.add_argument("-o", "--output", required=True)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    limit = int(args.megabytes * 1024 * 1024)
    comment_id = 0
    post_index = 0
    out = CountingWriter(args.output)
    with out.file:
        out.write(HEAD)
        while out.written < limit:
            post_id = 10 + post_index
            paragraphs = "\n".join(f"<p>{rng.choice(comments.DETAILS)} {rng.choice(comments.OPENINGS)}.</p>" for _ in range(40))
            out.write(f"""\t<item>
\t\t<title>{cdata(f"Review {post_id}: notes & thoughts")}</title>
\t\t<link>https://generated.example/?p={post_id}</link>
\t\t<content:encoded>{cdata(paragraphs)}</content:encoded>
\t\t<wp:post_id>{post_id}</wp:post_id>
\t\t<wp:post_type>{cdata("post")}</wp:post_type>
""")
            first = comment_id + 1
            for _ in range(rng.randrange(5, 61)):
                comment_id += 1
                parent = rng.randrange(first, comment_id) if comment_id > first and rng.random() < 0.3 else 0
                write_comment(out, rng, comment_id, parent, post_index)
            out.write("\t</item>\n")
            post_index += 1
        out.write(TAIL)
    print(f"{args.output}: {post_index} posts, {comment_id} comments", file=sys.stderr)


if __name__ == "__main__":
    main()
