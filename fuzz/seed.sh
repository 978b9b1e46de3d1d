#!/bin/sh
# Seeds each fuzz target's corpus (fuzz/corpus/<target>, not committed) from tests/fixtures.
set -eu
cd "$(dirname "$0")/.."
f=tests/fixtures
seed() { target=$1; shift; mkdir -p "fuzz/corpus/$target"; for file in "$@"; do [ -f "$file" ] && cp "$file" "fuzz/corpus/$target/"; done; return 0; }
seed text_headers $f/formats/text/* $f/formats/mail/* $f/formats/encodings/*
seed markdown $f/formats/markdown/*
seed html $f/html/* $f/dates/*.html $f/formats/html/*
seed json $f/formats/json/* $f/formats/jsonl/*
seed flat_json $f/formats/jsonl/*
seed feed $f/formats/feeds/*
seed encoding $f/formats/encodings/* $f/formats/gz/* $f/formats/bad/*
seed aliases $f/entities/*
mkdir -p fuzz/corpus/dates fuzz/corpus/terms fuzz/corpus/query
cut -f1 $f/dates/values.tsv | head -200 | split -l 1 - fuzz/corpus/dates/value-
printf 'Putin\nPutin met Biden in Geneva.' > fuzz/corpus/terms/phrase
printf 'climat*|"carbon tax"\nThe climate and the carbon tax.' > fuzz/corpus/terms/wildcard
printf '"climate change" NEAR/5 (tax OR levy) -title:opinion\nClimate change and a carbon tax.' > fuzz/corpus/query/near
printf '(Ukraine AND NOT Russia) OR source:Reuters\nUkraine today.' > fuzz/corpus/query/bool
