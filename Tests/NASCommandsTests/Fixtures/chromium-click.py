#!/usr/bin/env python3
"""Clicks a plot mark in headless Chromium with a real mouse event and reports where the page went.

Used by DashboardBrowserTests (the dashboard's "click a dot to open its candidate"). Drives
Chromium over the DevTools protocol on a pipe (--remote-debugging-pipe: JSON messages ended by
NUL, Chromium reads fd 3 and writes fd 4), standard library only.

Usage: chromium-click.py CHROMIUM PROFILE_DIR URL CSS_SELECTOR
Prints one JSON object: {"expected": N or null, "landed": "/path/after/the/click", "title": ...},
where N is the candidate named by the tooltip of the topmost element under the click point.
"""
import json
import os
import subprocess
import sys
import time

chromium, profile, url, selector = sys.argv[1:5]
to_browser_read, to_browser_write = os.pipe()
from_browser_read, from_browser_write = os.pipe()


def give_pipes():
    # In the child: move both ends above 4 first (either may be fd 3 or 4 now), then onto 3 and 4;
    # dup2 onto a new number leaves the copy open across exec.
    import fcntl
    reading = fcntl.fcntl(to_browser_read, fcntl.F_DUPFD, 10)
    writing = fcntl.fcntl(from_browser_write, fcntl.F_DUPFD, 10)
    os.dup2(reading, 3)
    os.dup2(writing, 4)


browser = subprocess.Popen(
    [chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--remote-debugging-pipe",
     f"--user-data-dir={profile}", "--window-size=1280,1400", "about:blank"],
    preexec_fn=give_pipes, close_fds=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
os.close(to_browser_read)
os.close(from_browser_write)
incoming = b""
next_id = 0
events = []


def receive():
    global incoming
    while b"\0" not in incoming:
        chunk = os.read(from_browser_read, 65536)
        if not chunk:
            raise SystemExit("chromium-click: Chromium closed the pipe")
        incoming += chunk
    message, incoming = incoming.split(b"\0", 1)
    return json.loads(message)


def call(method, params=None, session=None):
    global next_id
    next_id += 1
    message = {"id": next_id, "method": method, "params": params or {}}
    if session:
        message["sessionId"] = session
    os.write(to_browser_write, json.dumps(message).encode() + b"\0")
    while True:
        reply = receive()
        if reply.get("id") == next_id:
            if "error" in reply:
                raise SystemExit(f"chromium-click: {method}: {reply['error']}")
            return reply.get("result", {})
        events.append(reply)


def wait_for(method, deadline):
    while time.monotonic() < deadline:
        for index, event in enumerate(events):
            if event.get("method") == method:
                return events.pop(index)
        events.append(receive())
    raise SystemExit(f"chromium-click: no {method} within the time allowed")


def evaluate(expression, session):
    result = call("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True}, session)
    return result["result"].get("value")


try:
    target = call("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    call("Page.enable", session=session)
    call("Page.navigate", {"url": url}, session)
    wait_for("Page.loadEventFired", time.monotonic() + 30)
    # The mark's centre in the viewport, and the candidate the topmost element there names.
    found = evaluate(f"""(() => {{
        const mark = document.querySelector({json.dumps(selector)});
        if (!mark) return null;
        mark.scrollIntoView({{block: "center"}});
        const box = mark.getBoundingClientRect();
        const x = box.left + box.width / 2, y = box.top + box.height / 2;
        let element = document.elementFromPoint(x, y), expected = null;
        while (element && expected === null) {{
            const title = Array.from(element.children || []).find((child) => child.tagName.toLowerCase() === "title");
            const match = title && /\\(candidate (\\d+)\\)/.exec(title.textContent);
            if (match) expected = Number(match[1]);
            element = element.parentNode;
        }}
        return {{x, y, expected}};
    }})()""", session)
    if found is None:
        print(json.dumps({"expected": None, "landed": None, "error": f"no element matches {selector}"}))
        sys.exit(0)
    for kind in ("mousePressed", "mouseReleased"):
        call("Input.dispatchMouseEvent", {"type": kind, "x": found["x"], "y": found["y"], "button": "left", "clickCount": 1}, session)
    wait_for("Page.loadEventFired", time.monotonic() + 30)
    landed = evaluate("location.pathname", session)
    title = evaluate("document.title", session)
    print(json.dumps({"expected": found["expected"], "landed": landed, "title": title}))
finally:
    browser.kill()
    browser.wait()
