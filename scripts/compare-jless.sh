#!/usr/bin/env bash
# Side by side with jless on one large push: time to the first screen and peak memory.
#
#   scripts/compare-jless.sh                 # 100,000 turns, 5 runs of each, alternately
#   TURNS=20000 RUNS=3 scripts/compare-jless.sh
#   FULL=1 scripts/compare-jless.sh          # also idle CPU, G/g, search, and every tab
#   QUERY=1 scripts/compare-jless.sh         # also a query over loopback against curl
#   MASK=1 scripts/compare-jless.sh          # also `m`: to the masked first screen, and whole
#
# Needs: cargo, python3, and `jless` on PATH (or JLESS=/path/to/jless).
# Every run is a fresh process in its own pseudo-terminal of 160×50. The clock starts at
# fork and stops when the output that puts the callee's name (MARIA LOPEZ GARCIA) on the
# emulated screen is read from the terminal (jless shows it on its first screen too); then
# `q` is sent. Peak RSS is the kernel's
# ru_maxrss of the finished process (wait4), the figure `/usr/bin/time -f %M` prints.
set -euo pipefail

cd "$(dirname "$0")/.."
TURNS=${TURNS:-100000}
REDIALS=${REDIALS:-2000}
QUESTIONS=${QUESTIONS:-20}
RUNS=${RUNS:-5}
JLESS=${JLESS:-jless}
FULL=${FULL:-0}
QUERY=${QUERY:-0}
MASK=${MASK:-0}

if ! command -v "$JLESS" >/dev/null 2>&1; then
    echo "jless not found: install it (cargo install jless) or set JLESS=/path/to/jless" >&2
    exit 2
fi

cargo build --release --quiet --bin rudder-inspect --example gen_push
TARGET=${CARGO_TARGET_DIR:-target}
BIN=$TARGET/release/rudder-inspect
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
PUSH="$WORK/push.json"
"$TARGET"/release/examples/gen_push --turns "$TURNS" --redials "$REDIALS" --questions "$QUESTIONS" >"$PUSH"

# A throwaway config dir, so no user config or token cache changes what is measured.
export XDG_CONFIG_HOME="$WORK/config" XDG_STATE_HOME="$WORK/state" XDG_CACHE_HOME="$WORK/cache"
export TERM=xterm-256color
unset NO_COLOR

python3 - "$BIN" "$(command -v "$JLESS")" "$PUSH" "$RUNS" "$FULL" "$QUERY" "$MASK" <<'PY'
import codecs, fcntl, os, re, select, signal, statistics, struct, sys, termios, time, unicodedata

BIN, JLESS, PUSH, RUNS, FULL = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5] == "1"
QUERY = sys.argv[6] == "1"
MASK = sys.argv[7] == "1"
ROWS, COLS = 50, 160
NAME = "MARIA LOPEZ GARCIA"
MARKER = "[LAST-TURN-MARKER]"
TIMEOUT = 30.0


class Screen:
    """Just enough of a VT100 to know what a full-screen program shows."""

    def __init__(self, rows, cols):
        self.rows, self.cols = rows, cols
        self.grid = [[" "] * cols for _ in range(rows)]
        self.r = self.c = 0
        self.saved = (0, 0)
        self.dec = codecs.getincrementaldecoder("utf-8")("replace")
        self.pending = ""
        self.replies = b""

    def text(self):
        return "\n".join("".join(row) for row in self.grid)

    def has(self, s):
        return any(s in "".join(row) for row in self.grid)

    def scroll(self):
        self.grid.pop(0)
        self.grid.append([" "] * self.cols)

    def put(self, ch):
        w = 2 if unicodedata.east_asian_width(ch) in "WF" else (0 if unicodedata.combining(ch) else 1)
        if w == 0:
            return
        if self.c + w > self.cols:
            self.c = 0
            self.r += 1
            if self.r >= self.rows:
                self.r = self.rows - 1
                self.scroll()
        self.grid[self.r][self.c] = ch
        if w == 2 and self.c + 1 < self.cols:
            self.grid[self.r][self.c + 1] = ""
        self.c += w

    def csi(self, params, final):
        priv = params.startswith("?") or params.startswith(">")
        nums = [int(p) if p.isdigit() else 0 for p in params.lstrip("?>=").split(";")] if params else []
        n = lambda i, d=1: nums[i] if len(nums) > i and nums[i] else d
        if priv:
            return
        if final in "Hf":
            self.r, self.c = min(n(0) - 1, self.rows - 1), min(n(1) - 1, self.cols - 1)
        elif final == "A":
            self.r = max(0, self.r - n(0))
        elif final in "Be":
            self.r = min(self.rows - 1, self.r + n(0))
        elif final in "Ca":
            self.c = min(self.cols - 1, self.c + n(0))
        elif final == "D":
            self.c = max(0, self.c - n(0))
        elif final == "G":
            self.c = min(self.cols - 1, n(0) - 1)
        elif final == "d":
            self.r = min(self.rows - 1, n(0) - 1)
        elif final == "J":
            mode = nums[0] if nums else 0
            rng = {0: range(self.r + 1, self.rows), 1: range(0, self.r), 2: range(self.rows), 3: range(self.rows)}[mode]
            for i in rng:
                self.grid[i] = [" "] * self.cols
            if mode == 0:
                self.grid[self.r][self.c:] = [" "] * (self.cols - self.c)
            elif mode == 1:
                self.grid[self.r][: self.c + 1] = [" "] * (self.c + 1)
        elif final == "K":
            mode = nums[0] if nums else 0
            row = self.grid[self.r]
            if mode == 0:
                row[self.c:] = [" "] * (self.cols - self.c)
            elif mode == 1:
                row[: self.c + 1] = [" "] * (self.c + 1)
            else:
                self.grid[self.r] = [" "] * self.cols
        elif final == "X":
            for i in range(self.c, min(self.cols, self.c + n(0))):
                self.grid[self.r][i] = " "
        elif final == "n" and nums and nums[0] == 6:
            self.replies += f"\x1b[{self.r + 1};{self.c + 1}R".encode()
        elif final == "c":
            self.replies += b"\x1b[?62;22c"

    def feed(self, data):
        s = self.pending + self.dec.decode(data)
        self.pending = ""
        i, n = 0, len(s)
        while i < n:
            ch = s[i]
            if ch == "\x1b":
                if i + 1 >= n:
                    self.pending = s[i:]
                    return
                nxt = s[i + 1]
                if nxt == "[":
                    m = re.compile(r"\x1b\[([0-9;?>=]*)[ -/]*([@-~])").match(s, i)
                    if not m:
                        self.pending = s[i:]
                        return
                    self.csi(m.group(1), m.group(2))
                    i = m.end()
                elif nxt in "]PX^_":
                    # OSC / DCS / ...: up to BEL or ST.
                    j = i + 2
                    while j < n and s[j] != "\x07" and not (s[j] == "\x1b" and j + 1 < n and s[j + 1] == "\\"):
                        j += 1
                    if j >= n:
                        self.pending = s[i:]
                        return
                    i = j + (1 if s[j] == "\x07" else 2)
                elif nxt in "()*+":
                    i += 3
                elif nxt == "7":
                    self.saved = (self.r, self.c)
                    i += 2
                elif nxt == "8":
                    self.r, self.c = self.saved
                    i += 2
                else:
                    i += 2
            elif ch == "\r":
                self.c = 0
                i += 1
            elif ch == "\n":
                self.r += 1
                if self.r >= self.rows:
                    self.r = self.rows - 1
                    self.scroll()
                i += 1
            elif ch == "\b":
                self.c = max(0, self.c - 1)
                i += 1
            elif ch == "\t":
                self.c = min(self.cols - 1, (self.c // 8 + 1) * 8)
                i += 1
            elif ord(ch) < 0x20 or ch == "\x7f":
                i += 1
            else:
                self.put(ch)
                i += 1


class Run:
    """One program in its own pseudo-terminal."""

    def __init__(self, argv):
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
        self.t0 = time.monotonic()
        pid = os.fork()
        if pid == 0:
            try:
                os.setsid()
                fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
                for fd in (0, 1, 2):
                    os.dup2(slave, fd)
                os.close(master)
                os.close(slave)
                os.execv(argv[0], argv)
            finally:
                os._exit(127)
        os.close(slave)
        self.pid, self.fd = pid, master
        self.screen = Screen(ROWS, COLS)
        self.status = None
        self.rusage = None
        self.last_read = self.t0

    def pump(self, timeout):
        """Reads what is there within `timeout` s; False when the program has gone."""
        r, _, _ = select.select([self.fd], [], [], max(0.0, timeout))
        if not r:
            return True
        try:
            data = os.read(self.fd, 1 << 16)
        except OSError:
            return False
        if not data:
            return False
        # When the bytes reached the terminal: the emulation below is this script's cost.
        self.last_read = time.monotonic()
        self.screen.feed(data)
        if self.screen.replies:
            os.write(self.fd, self.screen.replies)
            self.screen.replies = b""
        return True

    def wait_for(self, pred, what, timeout=TIMEOUT):
        """The time the output that made `pred` true was read."""
        start = time.monotonic()
        if pred(self.screen):
            return start
        while not pred(self.screen):
            left = timeout - (time.monotonic() - start)
            if left <= 0 or not self.pump(min(left, 0.05)):
                raise SystemExit(f"gave up waiting for {what}; screen:\n{self.screen.text()}")
        return self.last_read

    def settle(self, quiet=0.3, limit=10.0):
        """Reads until nothing arrives for `quiet` s."""
        start = time.monotonic()
        while time.monotonic() - start < limit:
            r, _, _ = select.select([self.fd], [], [], quiet)
            if not r or not self.pump(0):
                return

    def key(self, b):
        os.write(self.fd, b)

    def cpu_ticks(self):
        with open(f"/proc/{self.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])

    def rss_kib(self):
        with open(f"/proc/{self.pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
        return 0

    def finish(self):
        self.key(b"q")
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            pid, status, ru = os.wait4(self.pid, os.WNOHANG)
            if pid:
                self.status, self.rusage = status, ru
                break
            self.pump(0.02)
        else:
            os.kill(self.pid, signal.SIGKILL)
            _, self.status, self.rusage = os.wait4(self.pid, 0)
        os.close(self.fd)
        return self.rusage.ru_maxrss  # KiB on Linux


size = os.path.getsize(PUSH)
mib = lambda kib: kib / 1024
print(f"push: {PUSH} · {size / 2**20:.1f} MiB · terminal {COLS}×{ROWS} · {RUNS} runs each, alternately")


def one(argv):
    run = Run(argv)
    t = run.wait_for(lambda s: s.has(NAME), f"{NAME} on screen") - run.t0
    extra = {}
    if FULL and argv[0] == BIN:
        run.settle()
        tick = os.sysconf("SC_CLK_TCK")
        c0, w0 = run.cpu_ticks(), time.monotonic()
        end = w0 + 3
        while time.monotonic() < end:
            run.pump(end - time.monotonic())
        extra["idle CPU %"] = (run.cpu_ticks() - c0) / tick / (time.monotonic() - w0) * 100
        extra["RSS after open MiB"] = mib(run.rss_kib())
        run.key(b"5")
        run.wait_for(lambda s: s.has("Transcript") and not s.has(NAME), "the Transcript tab")
        run.settle()
        t0 = time.monotonic()
        run.key(b"G")
        extra["G ms"] = (run.wait_for(lambda s: s.has(MARKER), "the last turn") - t0) * 1000
        run.settle()
        t0 = time.monotonic()
        run.key(b"g")
        extra["g ms"] = (run.wait_for(lambda s: not s.has(MARKER), "the first turn") - t0) * 1000
        run.settle()
        t0 = time.monotonic()
        # Typed lowercase, so the echo of the query does not count as the match.
        run.key(b"/" + MARKER.lower().strip("[]").encode() + b"\r")
        extra["search ms"] = (run.wait_for(lambda s: s.has(MARKER), "the search's match") - t0) * 1000
        run.settle()
        run.key(b"\x1b")
        run.settle()
        for k in (b"1", b"2", b"3", b"4", b"5", b"G", b"6", b"G", b"g", b"5", b"g"):
            run.key(k)
            run.settle(quiet=0.2)
        extra["RSS after every tab MiB"] = mib(run.rss_kib())
    rss = run.finish()
    return t, rss, extra


rows = []
for i in range(RUNS):
    a = one([BIN, "open", PUSH])
    b = one([JLESS, PUSH])
    rows.append((a, b))
    print(f"run {i + 1}: rudder-inspect {a[0] * 1000:7.1f} ms {mib(a[1]):6.1f} MiB"
          f"   jless {b[0] * 1000:7.1f} ms {mib(b[1]):6.1f} MiB"
          + "".join(f"   {k} {v:.1f}" for k, v in a[2].items()))

med = statistics.median
ta, tb = med(r[0][0] for r in rows), med(r[1][0] for r in rows)
ma, mb = med(r[0][1] for r in rows), med(r[1][1] for r in rows)
ratio_t = med(r[0][0] / r[1][0] for r in rows)
print()
print(f"median time to first screen: rudder-inspect {ta * 1000:.1f} ms, jless {tb * 1000:.1f} ms;"
      f" ratio {ratio_t:.2f}× (budget ≤ 0.50×)")
print(f"median peak RSS: rudder-inspect {mib(ma):.1f} MiB ({ma * 1024 / size:.2f}× the file),"
      f" jless {mib(mb):.1f} MiB ({mb * 1024 / size:.2f}× the file) (budget ≤ 3×)")
if FULL:
    for k in rows[0][0][2]:
        v = med(r[0][2][k] for r in rows)
        note = f" ({v * 2**20 / size:.2f}× the file)" if "MiB" in k else ""
        print(f"median {k}: {v:.1f}{note}")

if MASK:
    # `m` on the opened push, in a process of its own (masking reads the whole answer again,
    # which would change the peak RSS figures above): the clock starts at the key and stops
    # when the masked name is on screen, then when the status bar says the whole copy is
    # masked (the transcript after the rest, for a big answer).
    MASKED = "M**** L**** G****"
    firsts, wholes = [], []
    for i in range(RUNS):
        run = Run([BIN, "open", PUSH])
        run.wait_for(lambda s: s.has(NAME), f"{NAME} on screen")
        run.settle()
        t0 = time.monotonic()
        run.key(b"m")
        first = run.wait_for(lambda s: s.has(MASKED), "the masked name") - t0
        whole = run.wait_for(lambda s: s.has("hidden on every tab"), "the whole masked copy", timeout=120) - t0
        run.finish()
        firsts.append(first)
        wholes.append(whole)
        print(f"mask {i + 1}: masked first screen {first * 1000:7.1f} ms   whole {whole * 1000:7.1f} ms")
    print(f"median m to the masked first screen: {med(firsts) * 1000:.1f} ms (budget ≤ 1 s);"
          f" to the whole masked copy: {med(wholes) * 1000:.1f} ms")

if QUERY:
    # The generated answer (an API envelope) served on 127.0.0.1 to every POST by a server
    # in a process of its own (in this one it would wait on the interpreter while the screen
    # is read). curl fetches it whole to /dev/null; rudder-inspect (ids given as flags, so it
    # sends at once) shows it. Both start the same way, forked into a pseudo-terminal: curl's
    # time is to its exit, rudder-inspect's to the callee's name on screen.
    import subprocess
    server = subprocess.Popen([sys.executable, "-c", r"""
import http.server, sys
body = open(sys.argv[1], "rb").read()
class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass
class Server(http.server.ThreadingHTTPServer):
    # rudder-inspect quits once its first frame is on screen, which can be before the
    # whole answer is sent: the connection reset that follows is no error here.
    def handle_error(self, request, client_address):
        pass
server = Server(("127.0.0.1", 0), Handler)
print(server.server_port, flush=True)
server.serve_forever()
""", PUSH], stdout=subprocess.PIPE, text=True)
    try:
        url = f"http://127.0.0.1:{int(server.stdout.readline())}"
        path = "/service/cloud/workflow/apinoticeinfo"
        os.environ["AIRUDDER_TOKEN"] = "compare-token"
        ids = ["--workflow-id", "5f0c3c9e2b7d4a1f8e6d9c0b1a2f3e4d", "--node-id",
               "a1b2c3d4e5f60718293a4b5c6d7e8f90", "--callee", "+525511112222"]
        curl = subprocess.run(["sh", "-c", "command -v curl"], capture_output=True, text=True).stdout.strip()
        times = []
        for i in range(RUNS):
            run = Run([curl, "-s", "-o", "/dev/null", "-X", "POST", "-H", "token: compare-token",
                       "-H", "Content-Type: application/json", "-d", "{}", url + path])
            os.waitpid(run.pid, 0)
            tc = time.monotonic() - run.t0
            os.close(run.fd)
            run = Run([BIN, "--no-history", "--base-url", url] + ids)
            ti = run.wait_for(lambda s: s.has(NAME), f"{NAME} on screen") - run.t0
            run.finish()
            times.append((ti, tc))
            print(f"query {i + 1}: rudder-inspect {ti * 1000:7.1f} ms   curl {tc * 1000:7.1f} ms")
        print(f"median query to the first frame: rudder-inspect {med(t[0] for t in times) * 1000:.1f} ms,"
              f" curl {med(t[1] for t in times) * 1000:.1f} ms;"
              f" ratio {med(t[0] / t[1] for t in times):.2f}× (budget ≤ 1.2×)")
    finally:
        server.kill()
PY
