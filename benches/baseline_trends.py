#!/usr/bin/env python3
"""The plain-Python baseline of `presswatch trends DIR -t W1 ... --bucket day`: same CSV, same rules.

usage: baseline_trends.py DIR WORD [WORD ...] > trends.csv

Reads every JSON Lines file (`*.jsonl`, `*.ndjson`) below DIR in path order with `json` and counts
single-word terms with `re`, the way a careful analyst would write it without presswatch. It follows
presswatch's counting rules (src/core/query.rs) and JSON field sniffing (src/core/ingest/json.rs):

- text = title + "\\n" + body; title from title/headline/name, body from text/body/content/article/
  full_text, else description/summary/lead/abstract; fields holding `<` or `&` have their tags
  stripped (block elements become line breaks) and entities decoded; a body that opens with an
  HTML heading (`<h1>`..`<h6>`, before any text) repeating the title loses that line;
- words are maximal runs of letters and digits (`[^\\W_]+`), compared lower-cased; a single-word
  term counts the words equal to it;
- the day is the calendar day of the first non-blank date field as written (at its own UTC
  offset), parsed as ISO 8601 (no offset = UTC);
  dates before 1900 or more than a day ahead are rejected;
- rows by term, then day, zero-filled from the first to the last day with a dated article;
  share = articles / total_articles with 6 decimals.

Deliberately not reproduced (the benchmark corpora do not need them, and the script says so on
stderr when it meets one): multi-word and prefix terms, other formats than JSON Lines, and the
fallback dates (file name, dateline in the text, file time) for records without a parsable date.
Standard library only; one process, as a straightforward script would be.
"""
import datetime
import html.parser
import json
import os
import re
import sys

WORD = re.compile(r"[^\W_]+")
TITLE_FIELDS = ("title", "headline", "name")
MAIN_FIELDS = ("text", "body", "content", "article", "full_text")
LEAD_FIELDS = ("description", "summary", "lead", "abstract")
# presswatch's `is_article` looks at these (not `name` or `abstract`) besides the date.
ARTICLE_FIELDS = ("title", "headline", "text", "body", "content", "article", "full_text", "description", "summary", "lead")
DATE_FIELDS = ("published", "publishedAt", "published_at_snake", "date_published", "datePublished", "pubDate", "date",
               "datetime", "timestamp", "created_at")
BLOCK_TAGS = {"p", "br", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "blockquote",
              "pre", "section", "article", "header", "footer", "table", "hr", "figure", "figcaption", "dd", "dt"}
RAW_TAGS = {"script", "style", "noscript", "template"}
# A tag cut off by the end of the field (feeds truncate leads mid-link: `<a href="https://…-trump-…`).
# HTML's tokenizer drops it at the end of input, as presswatch does; html.parser would flush it as text.
CUT_OFF_TAG = re.compile(r"<[A-Za-z/!?][^>]*\Z")


def value_text(v):
    """A field as presswatch reads it: strings, numbers, or an object's name; anything else is absent."""
    if isinstance(v, bool) or v is None or isinstance(v, list):
        return None
    if isinstance(v, str):
        return v
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return str(int(v))
    if isinstance(v, dict):
        for key, inner in v.items():
            if key in ("name", "title", "#text", "value"):
                found = value_text(inner)
                if found is not None:
                    return found
    return None


def pick(record, fields):
    for f in fields:
        s = value_text(record.get(f))
        if s is not None and s.strip():
            return s
    return None


class FragmentText(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.raw = [], False

    def _tag(self, tag, start):
        if tag in BLOCK_TAGS and self.parts and not self.parts[-1].endswith("\n"):
            self.parts.append("\n")
        if tag in RAW_TAGS:
            self.raw = start

    def handle_starttag(self, tag, attrs):
        self._tag(tag, True)

    def handle_startendtag(self, tag, attrs):
        self._tag(tag, False)

    def handle_endtag(self, tag):
        self._tag(tag, False)

    def handle_data(self, data):
        if not self.raw and data:
            self.parts.append(data)


def fragment_text(s):
    if "<" not in s and "&" not in s:
        return s
    p = FragmentText()
    p.feed(CUT_OFF_TAG.sub("", s))
    p.close()
    return "".join(p.parts).strip()


HEADING_START = re.compile(r"\s*(?:(?:<!--.*?-->|<(?!h[1-6][^a-z0-9])/?[a-z][a-z0-9]*[^>]*>)\s*)*<h[1-6][^a-z0-9]", re.I | re.S)


def opens_with_heading(raw):
    "Whether the raw field's first text is inside an <h1>..<h6> (tags and comments before it skipped)."
    return HEADING_START.match(raw) is not None


def title_and_body(title, body, heading):
    if not heading:
        return title + "\n" + body
    trimmed = body.lstrip()
    first = trimmed.split("\n", 1)[0]
    if first.endswith("\r"):
        first = first[:-1]
    if title.strip() and first.strip() == title.strip():
        body = trimmed[len(first):].lstrip("\r\n")
    return title + "\n" + body


def day_of(value, now):
    s = value.strip().strip("\"'").strip()
    if s.endswith(("Z", "z")):
        s = s[:-1] + "+00:00"
    try:
        at = datetime.datetime.fromisoformat(s)
    except ValueError:
        return None
    if at.tzinfo is None:
        at = at.replace(tzinfo=datetime.timezone.utc)
    if at.astimezone(datetime.timezone.utc).year < 1900 or at > now + datetime.timedelta(days=1):
        return None
    return at.date()


def jsonl_files(root):
    found = []
    for folder, dirs, files in os.walk(root, followlinks=True):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found += [os.path.join(folder, f) for f in files if not f.startswith(".") and f.endswith((".jsonl", ".ndjson"))]
    return sorted(found)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    root, labels = sys.argv[1], sys.argv[2:]
    terms = [label.lower() for label in labels]
    if any(not WORD.fullmatch(t) for t in terms):
        sys.exit("only single-word terms are supported")
    now = datetime.datetime.now(datetime.timezone.utc)
    totals = {}  # day -> dated articles
    counts = [{} for _ in terms]  # per term: day -> [mentions, articles]
    undated = bad = 0
    for path in jsonl_files(root):
        with open(path, "rb") as f:
            for raw in f:
                line = raw.decode("utf-8", errors="replace")
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except ValueError:
                    bad += 1
                    continue
                if not isinstance(record, dict):
                    bad += 1
                    continue
                date = pick(record, DATE_FIELDS)
                if date is None and all(value_text(record.get(k)) is None for k in ARTICLE_FIELDS):
                    continue
                day = day_of(date, now) if date is not None else None
                if day is None:
                    undated += 1
                    continue
                totals[day] = totals.get(day, 0) + 1
                title = fragment_text(pick(record, TITLE_FIELDS) or "")
                body = pick(record, MAIN_FIELDS) or pick(record, LEAD_FIELDS) or ""
                words = [w.lower() for w in WORD.findall(title_and_body(title, fragment_text(body), opens_with_heading(body)))]
                for term, per_day in zip(terms, counts):
                    n = words.count(term)
                    if n:
                        c = per_day.setdefault(day, [0, 0])
                        c[0] += n
                        c[1] += 1
    if undated or bad:
        print(f"baseline_trends.py: {undated} records without a parsable date and {bad} unreadable lines "
              "were left out (presswatch may date or report them differently)", file=sys.stderr)
    out = sys.stdout
    out.write("period_start,term,mentions,articles,total_articles,share\n")
    if not totals:
        return
    first, last = min(totals), max(totals)
    for label, per_day in zip(labels, counts):
        day = first
        while day <= last:
            mentions, articles = per_day.get(day, (0, 0))
            total = totals.get(day, 0)
            share = articles / total if total else 0.0
            out.write(f"{day.isoformat()},{label},{mentions},{articles},{total},{share:.6f}\n")
            day += datetime.timedelta(days=1)


if __name__ == "__main__":
    main()
