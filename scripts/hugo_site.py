#!/usr/bin/env python3
"""Turns a logsite log folder into a Hugo site, so the benchmark builds the same notes with Hugo.

    python3 scripts/hugo_site.py LOG_DIR HUGO_SITE_DIR

Each note `content/YYYY/MM/YYYY-MM-DD.md` becomes a leaf bundle
`content/notes/YYYY/MM/YYYY-MM-DD/index.md` with a TOML front matter (title, date);
the screenshots it links are copied into its bundle, where Hugo resolves the
relative links and publishes them. A minimal theme gives one page per note, the
paginated list of notes (20 a page), one list page per year and per month
section, and the home page.

What it leaves out, on purpose: logsite's computed pages (weeks, topics, the
knowledge base, next steps, charts), its search index, feed and data export.
Hugo has no equivalent without a theme that does the hours arithmetic in
templates, so the peer's site is smaller than logsite's: the comparison favours
Hugo. Notes outside `YYYY/MM/` folders, kb/, pages/ and explainers/ are skipped.
Standard library only.
"""
import re
import shutil
import sys
from pathlib import Path

CONFIG = """\
baseURL = "http://localhost/"
languageCode = "ja"
title = "bench"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT"]
paginate = 20
# logsite builds notes dated after today (with a warning); Hugo skips them unless
# told, and the generator's notes run years ahead: without this Hugo built fewer
# than half of them.
buildFuture = true
"""

# One page per note, and list pages for sections and the home page.
LAYOUTS = {
    "_default/baseof.html": """<!doctype html>
<html lang="ja"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><header><a href="{{ "/" | relURL }}">bench</a></header>
<main>{{ block "main" . }}{{ end }}</main></body></html>
""",
    "_default/single.html": """{{ define "main" }}<article><h1>{{ .Title }}</h1>
<time>{{ .Date.Format "2006-01-02" }}</time>
{{ .Content }}
{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">前</a>{{ end }}
{{ with .NextInSection }}<a href="{{ .RelPermalink }}">次</a>{{ end }}
</article>{{ end }}
""",
    "_default/list.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>{{ range .Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
<ul>{{ range (.Paginate .RegularPagesRecursive).Pages }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Summary | plainify | truncate 80 }}</li>
{{ end }}</ul>
{{ template "_internal/pagination.html" . }}{{ end }}
""",
}

NOTE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})\.md$")
IMAGE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)\)")


def convert(log: Path, site: Path) -> int:
    if site.exists():
        shutil.rmtree(site)
    (site / "content" / "notes").mkdir(parents=True)
    (site / "hugo.toml").write_text(CONFIG)
    for name, text in LAYOUTS.items():
        path = site / "layouts" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    # Section list pages for each year and month need an _index.md.
    count = 0
    for note in sorted((log / "content").glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]/*.md")):
        m = NOTE.match(note.name)
        if not m:
            continue
        year, month, _ = m.groups()
        bundle = site / "content" / "notes" / year / month / note.stem
        bundle.mkdir(parents=True)
        for section, title in ((bundle.parent.parent, year), (bundle.parent, f"{year}-{month}")):
            index = section / "_index.md"
            if not index.exists():
                index.write_text(f'+++\ntitle = "{title}"\n+++\n')
        text = note.read_text(encoding="utf-8")
        (bundle / "index.md").write_text(f'+++\ntitle = "{note.stem}"\ndate = {note.stem}\n+++\n\n{text}')
        for target in IMAGE.findall(text):
            source = note.parent / target
            if "/" not in target and source.is_file():
                shutil.copyfile(source, bundle / target)
        count += 1
    (site / "content" / "notes" / "_index.md").write_text('+++\ntitle = "notes"\n+++\n')
    return count


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    count = convert(Path(sys.argv[1]), Path(sys.argv[2]))
    print(f"{count} notes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
