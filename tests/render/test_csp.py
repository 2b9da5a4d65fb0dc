"""The Content-Security-Policy admits exactly the inline scripts a page runs, by hash."""

from __future__ import annotations

import base64
import hashlib

from generator.render.csp import inline_script_hashes, insert_policy, policy


def sha(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_only_executable_inline_scripts_are_hashed() -> None:
    html = ('<script>var a=1</script><script src="x.js"></script><script type="application/json">{}</script>'
            '<script type="application/ld+json">{"a":1}</script><script type="module">go()</script>')
    assert inline_script_hashes(html) == {sha("var a=1"), sha("go()")}


def test_policy_is_strict() -> None:
    text = policy({sha("x")})
    assert f"script-src 'self' {sha('x')}" in text
    assert "object-src 'none'" in text and "base-uri 'self'" in text and "unsafe-eval" not in text
    assert "'unsafe-inline'" not in text.split("script-src")[1].split(";")[0]


def test_policy_goes_first_in_head_and_only_once() -> None:
    html = insert_policy('<html><head><script>x()</script></head></html>', "default-src 'self'")
    assert html.index("Content-Security-Policy") < html.index("<script>")
    assert insert_policy(html, "other") == html
