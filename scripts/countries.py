#!/usr/bin/env python3
"""Regenerates src/countries/iso3166.tsv from the i18n-iso-countries npm package.

    cd /tmp && npm pack i18n-iso-countries && tar xzf i18n-iso-countries-*.tgz
    python3 scripts/countries.py /tmp/package/langs > src/countries/iso3166.tsv
"""
import json
import sys

LANGS = ["en", "fr", "es"]
HEADER = """# ISO 3166-1 alpha-2 codes with their names in English, French and Spanish (first name
# is the one shown; the others are other spellings matched on input), separated by '|'.
# From i18n-iso-countries 7.14.0 (https://github.com/michaelwittig/node-i18n-iso-countries),
# MIT licence, Copyright (c) 2016 Michael Wittig. Regenerate with scripts/countries.py."""


def names(value):
    return value if isinstance(value, list) else [value]


def main(folder):
    langs = {l: json.load(open(f"{folder}/{l}.json"))["countries"] for l in LANGS}
    print(HEADER)
    for code in sorted(langs["en"]):
        cells = ["|".join(n.replace("\t", " ") for n in names(langs[l][code])) for l in LANGS]
        print("\t".join([code] + cells))


if __name__ == "__main__":
    main(sys.argv[1])
