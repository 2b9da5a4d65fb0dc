"""Data in and out: the formats readers take away and newsrooms bring in.

Out (published with the site by `render/exports.py`, one module a format): `dyad_json` (the whole corpus and its
JSON Schema), `csv_out` (events and series in long form), `atom` (feeds), `ical` (scheduled events and deadlines),
`timelinejs_out` (TimelineJS 3 JSON). In (the `dyad import` commands): `timelinejs_in`, `series_csv`.
Every module reads a resolved `Corpus` or writes fact files that `pipeline.check()` then validates; none imports
MkDocs.
"""
