"""Shared helpers for the demo-case generators (gen_demo_cases.py, gen_demo_long.py).

Everything here is deterministic: ids come from MD5 of a fixed label, times from the
text lengths of the turns. Running a generator twice gives byte-identical files.
"""

import datetime as _dt
import hashlib
import json
import os
import re

DEMO_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "assets", "demo")

FMT = "%Y-%m-%d %H:%M:%S"

# A string value "__RAW__<text>__" is written to the file as the bare JSON token <text>
# (used to keep a number's text exactly, e.g. 15000.50, which Python would print as 15000.5).
_RAW = re.compile(r'"__RAW__(.*?)__"')


def hex_id(label):
    """A 32-char lowercase hex id, stable for a label."""
    return hashlib.md5(label.encode("utf-8")).hexdigest()


def ts(value):
    return _dt.datetime.strptime(value, FMT)


def fmt(moment):
    return moment.strftime(FMT)


def add(moment_text, seconds):
    return fmt(ts(moment_text) + _dt.timedelta(seconds=seconds))


def hms(seconds):
    seconds = int(seconds)
    return "%02d:%02d:%02d" % (seconds // 3600, (seconds % 3600) // 60, seconds % 60)


def timeline(turns, chars_per_second=14.0, robot_pause=1.0, callee_pause=1.5, silence=3.0,
             start=0.0):
    """Turn a list of (who, text) into asr_result items.

    who is "R" (robot), "C" (callee) or "S" (silence: both texts empty). Each item's time is
    when that utterance started, counted from call start; the next one starts after this one's
    speaking time plus a pause. Returns (items, seconds_elapsed_after_last_turn).
    """
    items = []
    t = float(start)
    for who, text in turns:
        if who == "S":
            items.append({"time": hms(t), "robottext": "", "text": ""})
            t += silence
            continue
        speak = max(1.0, len(text) / chars_per_second)
        if who == "R":
            items.append({"time": hms(t), "robottext": text, "text": ""})
            t += speak + robot_pause
        elif who == "C":
            items.append({"time": hms(t), "robottext": "", "text": text})
            t += speak + callee_pause
        else:
            raise ValueError(who)
    return items, t


def envelope(data):
    return {"data": data, "status": "OK", "code": 200}


def dumps(obj):
    text = json.dumps(obj, indent=4, ensure_ascii=False)
    return _RAW.sub(lambda m: m.group(1), text) + "\n"


def write(name, obj):
    path = os.path.normpath(os.path.join(DEMO_DIR, name))
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(dumps(obj))
    return path
