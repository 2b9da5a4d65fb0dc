"""Data in and out: the formats readers take away and newsrooms bring in.

Out, published with the site by `render/exports.py` (one module a format): `dyad_json` (the whole corpus and its
JSON Schema), `csv_out` (events and series in long form), `atom` (feeds), `ical` (scheduled events and deadlines),
`timelinejs_out` (TimelineJS 3 JSON); `downloads` names their paths, `updated` dates records from their content,
`event_html` is the HTML an event shows outside the site.

In, the `dyad import` commands (`commands`): `timelinejs_in` and `series_csv`, which write fact files with
`factfile`, look at what the folder already holds with `existing`, make HTML safe with `html_markdown`, and say
what they did in a `report`. Nothing here imports MkDocs.
"""
