"""Build the gazetteers that ship with weaklabel, reproducibly.

Run it from the repository root after changing this script or upgrading its inputs::

    python gazetteers/build.py            # rewrite gazetteers/*.jsonl and MANIFEST.json
    python gazetteers/build.py --check    # exit 1 if the committed files differ

Inputs are registry packages and public-domain facts only: ``pycountry`` (ISO 3166
countries and subdivisions, ISO 4217 currencies, ISO 639 languages, from Debian's
iso-codes, LGPL-2.1), the ``tzdata`` package (the IANA time-zone database, public domain)
and the table of nationalities below (demonyms: public-domain facts, in the forms the CIA
World Factbook, a US government work, gives). The output is sorted and carries no
timestamps, so the same input versions give the same bytes; ``MANIFEST.json`` records
those versions, each file's licence, entry count and SHA-256.

File format (one JSON object per line, keys in this order)::

    {"entry": "Germany", "label": "GPE", "aliases": ["Federal Republic of Germany"],
     "id": "DE"}

``aliases`` is omitted when empty. Extra keys (``country``, ``type``) are for people and
are ignored by ``weaklabel.sources.gazetteer.Gazetteer.from_file``.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import json
import re
import sys
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent

LICENCES = {
    "countries": "LGPL-2.1-only (ISO 3166 data from Debian iso-codes, via pycountry)",
    "subdivisions": "LGPL-2.1-only (ISO 3166-2 data from Debian iso-codes, via pycountry)",
    "currencies": "LGPL-2.1-only (ISO 4217 data from Debian iso-codes, via pycountry)",
    "languages": "LGPL-2.1-only (ISO 639 data from Debian iso-codes, via pycountry)",
    "cities": "public domain (IANA time-zone database, via the tzdata package)",
    "nationalities": "public domain (facts; forms as in the CIA World Factbook)",
}

# Names that are also everyday English words: left out of every list, because a
# gazetteer match on "won", "south" or "male" is far more often wrong than right.
COMMON_WORDS = frozenset(
    [
        "alo",
        "bar",
        "bay",
        "batman",
        "bloke",
        "bong",
        "border",
        "capital",
        "cascade",
        "center",
        "central",
        "centre",
        "chin",
        "christmas",
        "city",
        "coast",
        "coastal",
        "delta",
        "east",
        "easter",
        "eastern",
        "est",
        "ewe",
        "gold",
        "gulf",
        "ido",
        "ig",
        "interior",
        "island",
        "islands",
        "lac",
        "lacs",
        "lakes",
        "lara",
        "lower",
        "male",
        "mary",
        "meta",
        "mila",
        "mon",
        "mono",
        "nan",
        "north",
        "northern",
        "oral",
        "orange",
        "pest",
        "plateau",
        "platinum",
        "pool",
        "rivers",
        "saga",
        "silver",
        "sol",
        "som",
        "south",
        "southern",
        "tak",
        "upper",
        "van",
        "vas",
        "wake",
        "west",
        "western",
        "won",
    ]
)

# ----------------------------------------------------------------------- countries
# ISO names that are inverted ("Iran, Islamic Republic of") or carry a note in
# parentheses, and have no common name in pycountry: the name used in running text.
COUNTRY_ENTRY = {
    "BQ": "Bonaire, Sint Eustatius and Saba",
    "CC": "Cocos (Keeling) Islands",
    "CD": "Democratic Republic of the Congo",
    "FK": "Falkland Islands",
    "FM": "Micronesia",
    "MF": "Saint Martin",
    "PS": "Palestine",
    "SH": "Saint Helena, Ascension and Tristan da Cunha",
    "SX": "Sint Maarten",
    "VA": "Holy See",
    "VG": "British Virgin Islands",
    "VI": "United States Virgin Islands",
}

# Other names in common use (not in pycountry). "US" is left out: it is also "us".
COUNTRY_ALIASES = {
    "AE": ["UAE", "U.A.E.", "Emirates"],
    "BN": ["Brunei"],
    "CC": ["Cocos Islands", "Keeling Islands"],
    "CD": ["DR Congo", "DRC", "Congo-Kinshasa"],
    "CG": ["Republic of the Congo", "Congo-Brazzaville"],
    "CI": ["Ivory Coast"],
    "CV": ["Cape Verde"],
    "CZ": ["Czech Republic"],
    "FK": ["Falklands", "Malvinas"],
    "GB": ["UK", "U.K.", "Britain", "Great Britain"],
    "MK": ["Macedonia"],
    "MM": ["Burma"],
    "PS": ["State of Palestine"],
    "RU": ["Russia"],
    "SZ": ["Swaziland"],
    "TL": ["East Timor"],
    "TR": ["Turkey"],
    "US": ["USA", "U.S.", "U.S.A.", "United States of America"],
    "VA": ["Vatican", "Vatican City"],
    "VI": ["U.S. Virgin Islands"],
}

# ------------------------------------------------------------------- nationalities
# ISO 3166 alpha-2 code -> (adjective, other forms). Plurals of adjectives ending in
# "-an" or "-i" ("Germans", "Iraqis") are added by the script.
NATIONALITIES: dict[str, tuple[str, list[str]]] = {
    "AD": ("Andorran", []),
    "AE": ("Emirati", []),
    "AF": ("Afghan", []),
    "AG": ("Antiguan", ["Barbudan", "Barbudans"]),
    "AL": ("Albanian", []),
    "AM": ("Armenian", []),
    "AO": ("Angolan", []),
    "AR": ("Argentine", ["Argentinian", "Argentinians", "Argentines"]),
    "AT": ("Austrian", []),
    "AU": ("Australian", []),
    "AZ": ("Azerbaijani", []),
    "BA": ("Bosnian", ["Herzegovinian", "Herzegovinians"]),
    "BB": ("Barbadian", ["Bajan", "Bajans"]),
    "BD": ("Bangladeshi", []),
    "BE": ("Belgian", []),
    "BF": ("Burkinabe", []),
    "BG": ("Bulgarian", []),
    "BH": ("Bahraini", []),
    "BI": ("Burundian", []),
    "BJ": ("Beninese", []),
    "BN": ("Bruneian", []),
    "BO": ("Bolivian", []),
    "BR": ("Brazilian", []),
    "BS": ("Bahamian", []),
    "BT": ("Bhutanese", []),
    "BW": ("Botswanan", ["Motswana", "Batswana"]),
    "BY": ("Belarusian", []),
    "BZ": ("Belizean", []),
    "CA": ("Canadian", []),
    "CD": ("Congolese", []),
    "CF": ("Central African", []),
    "CG": ("Congolese", []),
    "CH": ("Swiss", []),
    "CI": ("Ivoirian", ["Ivorian", "Ivorians"]),
    "CL": ("Chilean", []),
    "CM": ("Cameroonian", []),
    "CN": ("Chinese", []),
    "CO": ("Colombian", []),
    "CR": ("Costa Rican", []),
    "CU": ("Cuban", []),
    "CV": ("Cabo Verdean", ["Cape Verdean", "Cape Verdeans"]),
    "CY": ("Cypriot", ["Cypriots"]),
    "CZ": ("Czech", ["Czechs"]),
    "DE": ("German", []),
    "DJ": ("Djiboutian", []),
    "DK": ("Danish", ["Dane", "Danes"]),
    "DM": ("Dominican", []),
    "DO": ("Dominican", []),
    "DZ": ("Algerian", []),
    "EC": ("Ecuadorian", []),
    "EE": ("Estonian", []),
    "EG": ("Egyptian", []),
    "ER": ("Eritrean", []),
    "ES": ("Spanish", ["Spaniard", "Spaniards"]),
    "ET": ("Ethiopian", []),
    "FI": ("Finnish", ["Finn", "Finns"]),
    "FJ": ("Fijian", []),
    "FM": ("Micronesian", []),
    "FR": ("French", ["Frenchman", "Frenchmen", "Frenchwoman", "Frenchwomen"]),
    "GA": ("Gabonese", []),
    "GB": ("British", ["Briton", "Britons"]),
    "GD": ("Grenadian", []),
    "GE": ("Georgian", []),
    "GH": ("Ghanaian", []),
    "GM": ("Gambian", []),
    "GN": ("Guinean", []),
    "GQ": ("Equatorial Guinean", ["Equatoguinean", "Equatoguineans"]),
    "GR": ("Greek", ["Greeks"]),
    "GT": ("Guatemalan", []),
    "GW": ("Bissau-Guinean", []),
    "GY": ("Guyanese", []),
    "HN": ("Honduran", []),
    "HR": ("Croatian", ["Croat", "Croats"]),
    "HT": ("Haitian", []),
    "HU": ("Hungarian", []),
    "ID": ("Indonesian", []),
    "IE": ("Irish", ["Irishman", "Irishmen", "Irishwoman", "Irishwomen"]),
    "IL": ("Israeli", []),
    "IN": ("Indian", []),
    "IQ": ("Iraqi", []),
    "IR": ("Iranian", []),
    "IS": ("Icelandic", ["Icelander", "Icelanders"]),
    "IT": ("Italian", []),
    "JM": ("Jamaican", []),
    "JO": ("Jordanian", []),
    "JP": ("Japanese", []),
    "KE": ("Kenyan", []),
    "KG": ("Kyrgyzstani", ["Kyrgyz"]),
    "KH": ("Cambodian", []),
    "KI": ("I-Kiribati", []),
    "KM": ("Comoran", ["Comorian", "Comorians"]),
    "KN": ("Kittitian", ["Nevisian", "Nevisians"]),
    "KP": ("North Korean", []),
    "KR": ("South Korean", []),
    "KW": ("Kuwaiti", []),
    "KZ": ("Kazakhstani", ["Kazakh", "Kazakhs"]),
    "LA": ("Lao", ["Laotian", "Laotians"]),
    "LB": ("Lebanese", []),
    "LC": ("Saint Lucian", []),
    "LI": ("Liechtensteiner", ["Liechtensteiners"]),
    "LK": ("Sri Lankan", []),
    "LR": ("Liberian", []),
    "LS": ("Basotho", ["Mosotho"]),
    "LT": ("Lithuanian", []),
    "LU": ("Luxembourgish", ["Luxembourger", "Luxembourgers"]),
    "LV": ("Latvian", []),
    "LY": ("Libyan", []),
    "MA": ("Moroccan", []),
    "MC": ("Monegasque", ["Monegasques"]),
    "MD": ("Moldovan", []),
    "ME": ("Montenegrin", ["Montenegrins"]),
    "MG": ("Malagasy", []),
    "MH": ("Marshallese", []),
    "MK": ("Macedonian", ["North Macedonian", "North Macedonians"]),
    "ML": ("Malian", []),
    "MM": ("Burmese", []),
    "MN": ("Mongolian", []),
    "MR": ("Mauritanian", []),
    "MT": ("Maltese", []),
    "MU": ("Mauritian", []),
    "MV": ("Maldivian", []),
    "MW": ("Malawian", []),
    "MX": ("Mexican", []),
    "MY": ("Malaysian", []),
    "MZ": ("Mozambican", []),
    "NA": ("Namibian", []),
    "NE": ("Nigerien", ["Nigeriens"]),
    "NG": ("Nigerian", []),
    "NI": ("Nicaraguan", []),
    "NL": ("Dutch", ["Dutchman", "Dutchmen", "Dutchwoman", "Dutchwomen"]),
    "NO": ("Norwegian", []),
    "NP": ("Nepali", ["Nepalese"]),
    "NR": ("Nauruan", []),
    "NZ": ("New Zealander", ["New Zealanders"]),
    "OM": ("Omani", []),
    "PA": ("Panamanian", []),
    "PE": ("Peruvian", []),
    "PG": ("Papua New Guinean", []),
    "PH": ("Filipino", ["Filipinos", "Filipina", "Filipinas", "Philippine"]),
    "PK": ("Pakistani", []),
    "PL": ("Polish", ["Pole", "Poles"]),
    "PS": ("Palestinian", []),
    "PT": ("Portuguese", []),
    "PW": ("Palauan", []),
    "PY": ("Paraguayan", []),
    "QA": ("Qatari", []),
    "RO": ("Romanian", []),
    "RS": ("Serbian", ["Serb", "Serbs"]),
    "RU": ("Russian", []),
    "RW": ("Rwandan", []),
    "SA": ("Saudi", ["Saudi Arabian", "Saudi Arabians"]),
    "SB": ("Solomon Islander", ["Solomon Islanders"]),
    "SC": ("Seychellois", []),
    "SD": ("Sudanese", []),
    "SE": ("Swedish", ["Swede", "Swedes"]),
    "SG": ("Singaporean", []),
    "SI": ("Slovenian", ["Slovene", "Slovenes"]),
    "SK": ("Slovak", ["Slovaks"]),
    "SL": ("Sierra Leonean", []),
    "SM": ("Sammarinese", []),
    "SN": ("Senegalese", []),
    "SO": ("Somali", []),
    "SR": ("Surinamese", []),
    "SS": ("South Sudanese", []),
    "ST": ("Sao Tomean", []),
    "SV": ("Salvadoran", []),
    "SY": ("Syrian", []),
    "SZ": ("Swazi", ["Swazis"]),
    "TD": ("Chadian", []),
    "TG": ("Togolese", []),
    "TH": ("Thai", []),
    "TJ": ("Tajikistani", ["Tajik", "Tajiks"]),
    "TL": ("Timorese", []),
    "TM": ("Turkmen", []),
    "TN": ("Tunisian", []),
    "TO": ("Tongan", []),
    "TR": ("Turkish", ["Turk", "Turks"]),
    "TT": ("Trinidadian", ["Tobagonian", "Tobagonians"]),
    "TV": ("Tuvaluan", []),
    "TW": ("Taiwanese", []),
    "TZ": ("Tanzanian", []),
    "UA": ("Ukrainian", []),
    "UG": ("Ugandan", []),
    "US": ("American", []),
    "UY": ("Uruguayan", []),
    "UZ": ("Uzbekistani", ["Uzbek", "Uzbeks"]),
    "VC": ("Vincentian", ["Saint Vincentian", "Saint Vincentians"]),
    "VE": ("Venezuelan", []),
    "VN": ("Vietnamese", []),
    "VU": ("Ni-Vanuatu", []),
    "WS": ("Samoan", []),
    "YE": ("Yemeni", []),
    "ZA": ("South African", []),
    "ZM": ("Zambian", []),
    "ZW": ("Zimbabwean", []),
}

# ----------------------------------------------------------------------- currencies
# ISO 4217 codes that are not currencies in everyday text (metals, bond units, funds,
# testing codes).
NOT_CURRENCIES = frozenset(
    [
        "BOV",
        "CHE",
        "CHW",
        "CLF",
        "COU",
        "MXV",
        "USN",
        "UYI",
        "UYW",
        "XAD",
        "XAG",
        "XAU",
        "XBA",
        "XBB",
        "XBC",
        "XBD",
        "XDR",
        "XPD",
        "XPT",
        "XSU",
        "XTS",
        "XUA",
        "XXX",
    ]
)
# One-word ISO names that are everyday words, replaced by the qualified name.
CURRENCY_ENTRY = {
    "KGS": "Kyrgyzstani Som",
    "KRW": "South Korean Won",
    "PEN": "Peruvian Sol",
    "ZAR": "South African Rand",
}
_PLURAL_UNITS = frozenset(
    [
        "Dinar",
        "Dirham",
        "Dollar",
        "Euro",
        "Franc",
        "Peso",
        "Pound",
        "Rial",
        "Riyal",
        "Ruble",
        "Rupee",
        "Shilling",
    ]
)

# ------------------------------------------------------------------------ languages
LANGUAGE_ENTRY = {"el": "Greek", "to": "Tongan", "or": "Odia"}
LANGUAGE_ALIASES = {
    "dv": ["Dhivehi"],
    "el": ["Modern Greek"],
    "ky": ["Kyrgyz"],
    "or": ["Oriya"],
    "pa": ["Punjabi"],
    "ps": ["Pashto"],
    "ug": ["Uyghur"],
}

# ------------------------------------------------------------------------- cities
# Former names of time-zone cities that the database keeps as links (checked below).
CITY_RENAMES = {
    "Africa/Asmara": "Asmera",
    "America/Nuuk": "Godthab",
    "Asia/Ashgabat": "Ashkhabad",
    "Asia/Dhaka": "Dacca",
    "Asia/Ho_Chi_Minh": "Saigon",
    "Asia/Kathmandu": "Katmandu",
    "Asia/Kolkata": "Calcutta",
    "Asia/Macau": "Macao",
    "Asia/Makassar": "Ujung Pandang",
    "Asia/Thimphu": "Thimbu",
    "Asia/Ulaanbaatar": "Ulan Bator",
    "Asia/Yangon": "Rangoon",
    "Atlantic/Faroe": "Faeroe",
    "Europe/Kyiv": "Kiev",
}


# ------------------------------------------------------------------------- helpers
def _ok(name: str) -> bool:
    return bool(name.strip()) and name.lower() not in COMMON_WORDS


def _record(
    entry: str, label: str, aliases: Iterable[str], ident: str, **extra: str
) -> dict[str, Any]:
    seen = {entry}
    kept = []
    for alias in aliases:
        if alias and alias not in seen and _ok(alias):
            seen.add(alias)
            kept.append(alias)
    record: dict[str, Any] = {"entry": entry, "label": label}
    if kept:
        record["aliases"] = kept
    record["id"] = ident
    record.update(extra)
    return record


def _sorted(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(records, key=lambda r: (r["entry"].casefold(), r["entry"], r["id"]))


def _plural(word: str) -> str | None:
    if word.endswith("an") or (word.endswith("i") and not word.startswith("I-")):
        return word + "s"
    return None


# ------------------------------------------------------------------------ builders
def countries() -> list[dict[str, Any]]:
    """ISO 3166-1 countries and territories, label ``GPE``."""
    import pycountry

    out = []
    for c in pycountry.countries:
        code = c.alpha_2
        name = c.name
        common = getattr(c, "common_name", None)
        official = getattr(c, "official_name", None)
        entry = COUNTRY_ENTRY.get(code) or common or name
        if ("," in entry or "(" in entry) and code not in COUNTRY_ENTRY:
            raise SystemExit(f"country {code}: add a running-text name for {name!r}")
        aliases = []
        if "," not in name and "(" not in name:
            aliases.append(name)
        if official:
            aliases.append(re.sub(r"^the ", "", official))
        if common:
            aliases.append(common)
        aliases += COUNTRY_ALIASES.get(code, [])
        aliases = [a for a in aliases if "(" not in a]
        out.append(_record(entry, "GPE", aliases, code))
    return _sorted(out)


def subdivisions(country_names: set[str]) -> list[dict[str, Any]]:
    """First-level ISO 3166-2 subdivisions (states, provinces, regions), label ``GPE``.

    Names are ISO's, often in the local language ("Bayern"). Notes in brackets become
    aliases when they are names ("Catalunya [Cataluña]"); names that are also country
    names or everyday words are left out.
    """
    import pycountry

    out = []
    for s in pycountry.subdivisions:
        if s.parent_code is not None:
            continue
        raw = s.name.lstrip("/")
        head = re.split(r", | \(| \[", raw)[0].strip()
        notes = re.findall(r"\[([^\]]+)\]", raw)
        names = [n.strip() for n in head.split(" / ")]
        names += [n for n in notes if not re.search(r"\d|[A-Z]{2}-", n)]
        names = [n for n in names if _ok(n) and n not in country_names]
        if not names:
            continue
        out.append(_record(names[0], "GPE", names[1:], s.code, country=s.country_code, type=s.type))
    return _sorted(out)


def currencies() -> list[dict[str, Any]]:
    """ISO 4217 currencies in circulation, label ``CURRENCY``."""
    import pycountry

    by_name: dict[str, dict[str, Any]] = {}
    for c in sorted(pycountry.currencies, key=lambda c: c.alpha_3):
        if c.alpha_3 in NOT_CURRENCIES:
            continue
        entry = CURRENCY_ENTRY.get(c.alpha_3, c.name)
        if not _ok(entry) or entry in by_name:
            continue
        words = entry.split()
        aliases = []
        if words[-1] in _PLURAL_UNITS:
            aliases.append(entry + "s")
        by_name[entry] = _record(entry, "CURRENCY", aliases, c.alpha_3)
    return _sorted(list(by_name.values()))


def languages(country_names: set[str]) -> list[dict[str, Any]]:
    """ISO 639-1 languages (those with a two-letter code), label ``LANGUAGE``.

    Names that are also country names ("Tonga") are left out.
    """
    import pycountry

    out = []
    for lang in pycountry.languages:
        code = getattr(lang, "alpha_2", None)
        if code is None:
            continue
        name = re.sub(r"\s*\(.*\)$", "", lang.name)
        entry = LANGUAGE_ENTRY.get(code, name)
        if not _ok(entry):
            continue
        aliases = [name]
        common = getattr(lang, "common_name", None)
        if common:
            aliases.append(common)
        aliases += LANGUAGE_ALIASES.get(code, [])
        aliases = [a for a in aliases if a not in country_names]
        out.append(_record(entry, "LANGUAGE", aliases, code))
    return _sorted(out)


def nationalities() -> list[dict[str, Any]]:
    """Nationality adjectives and nouns of sovereign states, label ``NORP``."""
    import pycountry

    out = []
    for code, (adjective, forms) in sorted(NATIONALITIES.items()):
        if pycountry.countries.get(alpha_2=code) is None:
            raise SystemExit(f"nationality: {code} is not an ISO 3166 code")
        aliases = list(forms)
        plural = _plural(adjective)
        if plural:
            aliases.insert(0, plural)
        out.append(_record(adjective, "NORP", aliases, code))
    return _sorted(out)


def cities(country_names: set[str]) -> list[dict[str, Any]]:
    """Places that name a time zone in the IANA database (``zone.tab``), label ``GPE``.

    Mostly cities ("Europe/Paris" -> "Paris"), a few islands; zones named after a
    country ("America/Panama") are left to the country list, Antarctic stations out.
    """
    folder = resources.files("tzdata.zoneinfo")
    links = set()  # names the database keeps as links ("backward" names among them)
    for line in (folder / "tzdata.zi").read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "L":
            links.add(parts[2])
    out = []
    for line in (folder / "zone.tab").read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        country, _, zone = line.split("\t")[:3]
        if zone.startswith(("Antarctica/", "Arctic/")):
            continue
        name = zone.rsplit("/", 1)[-1].replace("_", " ")
        if not _ok(name) or name in country_names:
            continue
        aliases = []
        if zone in CITY_RENAMES:
            old = zone.rsplit("/", 1)[0] + "/" + CITY_RENAMES[zone].replace(" ", "_")
            if old not in links:
                raise SystemExit(f"cities: the database has no link named {old}")
            aliases.append(CITY_RENAMES[zone])
        out.append(_record(name, "GPE", aliases, zone, country=country))
    return _sorted(out)


def build_all() -> dict[str, list[dict[str, Any]]]:
    """Every gazetteer's records, by file name (without ``.jsonl``)."""
    country_records = countries()
    country_names = {r["entry"] for r in country_records}
    for r in country_records:
        country_names.update(r.get("aliases", []))
    return {
        "cities": cities(country_names),
        "countries": country_records,
        "currencies": currencies(),
        "languages": languages(country_names),
        "nationalities": nationalities(),
        "subdivisions": subdivisions(country_names),
    }


def render(records: list[dict[str, Any]]) -> bytes:
    """The JSONL bytes of one gazetteer."""
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8")


def outputs() -> dict[str, bytes]:
    """File name -> bytes, for every gazetteer and ``MANIFEST.json``."""
    files = {f"{name}.jsonl": render(records) for name, records in build_all().items()}
    manifest = {
        "inputs": {
            "pycountry": importlib.metadata.version("pycountry"),
            "tzdata": importlib.metadata.version("tzdata"),
        },
        "files": {
            name: {
                "entries": data.count(b"\n"),
                "licence": LICENCES[name.removesuffix(".jsonl")],
                "sha256": hashlib.sha256(data).hexdigest(),
            }
            for name, data in sorted(files.items())
        },
    }
    files["MANIFEST.json"] = (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode()
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=HERE, help="output folder")
    parser.add_argument(
        "--check", action="store_true", help="compare with the files in --out, write nothing"
    )
    args = parser.parse_args(argv)
    files = outputs()
    if args.check:
        stale = [
            n
            for n, data in files.items()
            if not (args.out / n).is_file() or (args.out / n).read_bytes() != data
        ]
        for name in stale:
            print(f"differs: {args.out / name}", file=sys.stderr)
        return 1 if stale else 0
    args.out.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        tmp = args.out / f".{name}.tmp"
        tmp.write_bytes(data)
        tmp.replace(args.out / name)
        lines = data.count(b"\n")
        print(f"wrote {args.out / name} ({lines} lines)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
