#!/usr/bin/env python3
"""Writes webex(1) in roff from `webex --experimental-dump-help` (read on stdin): one page, every command.

Generated, deterministic (no dates), so the test suite can tell when man/ is stale."""
import json
import sys


def esc(text):
    text = (text or "").replace("\\", "\\e")
    lines = []
    for line in text.split("\n"):
        if line.startswith((".", "'")):
            line = "\\&" + line
        lines.append(line.replace("-", "\\-"))
    return "\n".join(lines)


def option_label(arg):
    names = []
    for n in arg.get("names", []):
        names.append(("-" if n["kind"] == "short" else "--") + n["name"])
    label = ", ".join(names) if names else "<%s>" % arg.get("valueName", "value")
    if arg["kind"] == "option":
        label += " <%s>" % arg.get("valueName", "value")
    if arg.get("isRepeating"):
        label += " ..."
    return label


GLOBAL = {"verbose", "log-level", "color", "ca-bundle", "json", "jsonl", "jq", "help", "version"}


def synopsis(path, cmd):
    parts = []
    for a in cmd.get("arguments", []):
        if not a.get("shouldDisplay", True):
            continue
        pref = a.get("preferredName", {}).get("name")
        if pref in GLOBAL:
            continue
        lab = option_label(a).split(", ")[-1]
        parts.append(lab if not a.get("isOptional") else "[%s]" % lab)
    return " ".join(path + parts)


def leaves(cmd, path):
    subs = [s for s in cmd.get("subcommands", []) if s.get("shouldDisplay", True) and s["commandName"] != "help"]
    if not subs:
        yield path, cmd
    for s in subs:
        yield from leaves(s, path + [s["commandName"]])


def main():
    root = json.load(sys.stdin)["command"]
    out = []
    w = out.append
    w('.TH WEBEX 1 "" "webex" "User Commands"')
    w(".SH NAME")
    w("webex \\- %s" % esc(root.get("abstract", "")))
    w(".SH SYNOPSIS")
    w(".B webex")
    w("\\fIcommand\\fR \\fIsubcommand\\fR [\\fIoptions\\fR]")
    w(".SH DESCRIPTION")
    w(esc(root.get("discussion", "")).replace("\n\n", "\n.PP\n"))
    w(".SH COMMON OPTIONS")
    seen = set()
    for path, cmd in leaves(root, ["webex"]):
        for a in cmd.get("arguments", []):
            pref = a.get("preferredName", {}).get("name")
            if pref in GLOBAL and pref not in seen and a.get("shouldDisplay", True):
                seen.add(pref)
                w(".TP")
                w("\\fB%s\\fR" % esc(option_label(a)))
                w(esc(a.get("abstract", "")))
    w(".SH COMMANDS")
    for path, cmd in leaves(root, ["webex"]):
        w(".SS %s" % esc(" ".join(path)))
        w(esc(cmd.get("abstract", "")))
        w(".PP")
        w("\\fB%s\\fR" % esc(synopsis(path, cmd)))
        if cmd.get("discussion"):
            w(".PP")
            w(".nf")
            w(esc(cmd["discussion"]))
            w(".fi")
        for a in cmd.get("arguments", []):
            pref = a.get("preferredName", {}).get("name")
            if not a.get("shouldDisplay", True) or pref in GLOBAL:
                continue
            w(".TP")
            w("\\fB%s\\fR" % esc(option_label(a)))
            text = a.get("abstract", "")
            if a.get("defaultValue"):
                text += " (default: %s)" % a["defaultValue"]
            w(esc(text))
    w(".SH EXIT STATUS")
    for code, meaning in [(0, "success"), (1, "API or runtime error"), (2, "usage error"),
                          (3, "authentication missing, refused or expired"), (4, "not found"),
                          (5, "rate limited after retries"), (130, "interrupted")]:
        w(".TP")
        w("\\fB%d\\fR" % code)
        w(meaning)
    w(".SH ENVIRONMENT")
    for name, meaning in [("WEBEX_ACCESS_TOKEN", "the access token (never pass a token as an argument)"),
                          ("WEBEX_BASE_URL", "API base URL, default https://webexapis.com/v1; plain http only to loopback"),
                          ("WEBEX_LOG_LEVEL", "silent, error, warn, log, info, debug or trace"),
                          ("WEBEX_CA_BUNDLE", "extra PEM CA bundle to trust"),
                          ("WEBEX_PROFILE", "the stored login to use (see webex auth)"),
                          ("WEBEX_CONFIG_DIR", "where stored logins live, default $XDG_CONFIG_HOME/webex"),
                          ("WEBEX_FORCE_TTY", "terminal layout (tables) even when piped; a number sets the width"),
                          ("NO_COLOR", "disables colour"),
                          ("https_proxy, HTTPS_PROXY, http_proxy, ALL_PROXY, NO_PROXY", "proxies, as libcurl reads them")]:
        w(".TP")
        w("\\fB%s\\fR" % esc(name))
        w(esc(meaning))
    w(".SH SEE ALSO")
    w("https://developer.webex.com/docs/basics")
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
