"""A student without a browser: Streamlit's own protocol (protobuf BackMsg/ForwardMsg over /_stcore/stream).

It replays the BackMsgs a real chromium sent during the lesson (widget ids are the same in every session and
every process), waits after each for the script run to finish, and fetches the media files the run produced,
as a browser would. Latency = send to the last finished run + its media loaded.
"""

import asyncio
import re
import time
import urllib.request
from dataclasses import dataclass, field
from http.cookiejar import CookieJar

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect

DONE = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY,
        ForwardMsg.FINISHED_WITH_COMPILE_ERROR}
MEDIA_RE = re.compile(rb"/media/[0-9a-f]{16,}\.[a-z0-9]{2,5}")
BACKOFF, MAX_WAIT_S = 2.0, 0.7  # the canvas's BACKOFF and MAX_WAIT_MS (components/digit_canvas/canvas.js)
GRACE_S = 0.06  # a callback may queue more fragment runs right after one finishes
TIMEOUT_S = 60.0


@dataclass
class Step:
    page: str  # "home", "digits", ...
    kind: str  # "load" or "interaction"
    frames: list[bytes]  # serialized rerun_script BackMsgs, in the order the browser sent them
    gaps: list[float]  # seconds between the browser sending frame i-1 and frame i (0 for the first)


@dataclass
class Sample:
    page: str
    kind: str
    ms: float
    student: str
    ok: bool = True
    error: str = ""
    ended: float = field(default_factory=time.monotonic)  # when the step's result was in (protocol students)


@dataclass
class Result:
    samples: list[Sample] = field(default_factory=list)
    runs: int = 0  # finished script runs (throughput)
    upstreams: dict = field(default_factory=dict)  # student -> the replica nginx sent it to
    coalesced: int = 0  # drawing updates replaced by a later one while an answer was pending (canvas flow control)


def reruns_only(sent: list[tuple[float, bytes]]) -> tuple[list[bytes], list[float]]:
    """(time, BackMsg) pairs a browser sent -> the rerun requests and the pauses between them."""
    frames, times = [], []
    for t, raw in sent:
        msg = BackMsg()
        msg.ParseFromString(raw)
        if msg.WhichOneof("type") == "rerun_script":
            frames.append(raw)
            times.append(t)
    return frames, [0.0] + [b - a for a, b in zip(times, times[1:], strict=False)]


class ProtocolStudent:
    def __init__(self, base_url: str, name: str, result: Result):
        self.base_url, self.name, self.result = base_url.rstrip("/"), name, result
        self.cookie = ""
        self.ws = None

    def _get(self, path: str) -> int:
        req = urllib.request.Request(f"{self.base_url}{path}", headers={"Cookie": self.cookie} if self.cookie else {})
        jar = CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        with opener.open(req, timeout=TIMEOUT_S) as r:
            r.read()
            if not self.cookie:
                self.cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
                self.result.upstreams[self.name] = r.headers.get("X-ConvLab-Upstream", "direct")
            return r.status

    async def open(self) -> None:
        """What a browser does first: the HTML (nginx sets the sticky cookie here), then the WebSocket."""
        await asyncio.to_thread(self._get, "/")
        ws_url = self.base_url.replace("http://", "ws://", 1) + "/_stcore/stream"
        self.ws = await connect(ws_url, subprotocols=["streamlit"], max_size=None, open_timeout=TIMEOUT_S,
                                additional_headers={"Cookie": self.cookie} if self.cookie else {},
                                ping_interval=None, compression=None)

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()

    async def send(self, frame: bytes) -> tuple[int, str, float]:
        """Send one rerun and wait until the runs it caused have finished; returns (runs, error or "", ms).

        ms: from sending until the last of those runs finished, plus loading the media files they made. The
        GRACE_S wait for a follow-up run after the last one is not part of it: a browser shows each run's
        result as it arrives."""
        t0 = time.perf_counter()
        await self.ws.send(frame)
        runs, media, error = 0, set(), ""
        finished = t0
        deadline = time.monotonic() + TIMEOUT_S
        waiting = True
        while True:
            timeout = deadline - time.monotonic() if waiting else GRACE_S
            try:
                raw = await asyncio.wait_for(self.ws.recv(), timeout=max(0.001, timeout))
            except TimeoutError:
                if waiting:
                    return runs, "timeout"
                break
            media.update(MEDIA_RE.findall(raw))
            if b"exception" in raw and not error:
                error = _exception_text(raw)
            msg = ForwardMsg()
            msg.ParseFromString(raw)
            kind = msg.WhichOneof("type")
            if kind == "script_finished":
                if msg.script_finished in DONE:
                    runs += 1
                    waiting = False
                    finished = time.perf_counter()
            elif kind in ("new_session", "session_status_changed") and (
                    kind == "new_session" or msg.session_status_changed.script_is_running):
                waiting = True
                deadline = time.monotonic() + TIMEOUT_S
        fetch0 = time.perf_counter()
        for path in sorted(media):
            await asyncio.to_thread(self._get, path.decode())
        self.result.runs += runs
        return runs, error, (finished - t0 + time.perf_counter() - fetch0) * 1000

    async def step(self, step: Step, paced: bool) -> None:
        """Send the step's frames; paced: no faster than the recorded browser sent them (a hand drawing).

        Drawing updates (a Digits interaction) follow the canvas's flow control (components/digit_canvas):
        the browser sends its next live update only once the page shows the previous one and as long again
        has passed (BACKOFF times the round trip, at most MAX_WAIT_S), and then sends the canvas as it is now.
        So the updates recorded in the meantime are replaced by the latest one that is due, as the canvas
        would do; the last (pen-up) is always sent, as soon as it is due."""
        coalesce = paced and step.page == "digits" and step.kind == "interaction"
        start = last = time.perf_counter()
        due = [sum(step.gaps[:i + 1]) for i in range(len(step.gaps))]
        i, hold, n = 0, 0.0, len(step.frames)
        while i < n:
            if coalesce:
                while True:
                    now = time.perf_counter()
                    j = i
                    while j + 1 < n and start + due[j + 1] <= now:
                        j += 1
                    if start + due[j] <= now and (j == n - 1 or now >= hold):
                        break
                    wake = min(start + due[n - 1], start + due[j] if start + due[j] > now else hold)
                    await asyncio.sleep(max(0.001, wake - now))
                self.result.coalesced += j - i
                i = j
            elif paced:
                await asyncio.sleep(max(0.0, last + step.gaps[i] - time.perf_counter()))
            last = time.perf_counter()
            try:
                _, error, ms = await self.send(step.frames[i])
                hold = last + min(MAX_WAIT_S, BACKOFF * ms / 1000)
            except Exception as exc:  # noqa: BLE001 - a dropped socket is a measured error, not a crash
                error, ms = f"{type(exc).__name__}: {exc}"[:200], 0.0
            if step.kind == "load" and i == 0 and step.page == "home":
                ms += self.open_ms
            self.result.samples.append(Sample(step.page, step.kind, ms, self.name, not error, error))
            if error:
                raise RuntimeError(error)
            i += 1

    open_ms = 0.0


def _exception_text(raw: bytes) -> str:
    """The message of an st.exception element in a ForwardMsg, if it holds one."""
    msg = ForwardMsg()
    msg.ParseFromString(raw)
    if msg.WhichOneof("type") == "delta" and msg.delta.WhichOneof("type") == "new_element":
        element = msg.delta.new_element
        if element.WhichOneof("type") == "exception":
            return f"exception: {element.exception.type}: {element.exception.message}"[:200]
    return ""


async def lesson(base_url: str, name: str, steps: list[Step], result: Result, think_s=lambda: 0.0,
                 loops: int = 1, until: float | None = None, paced: bool = True) -> None:
    """One student doing the recorded lesson `loops` times (or until time.monotonic() reaches `until`)."""
    done = 0
    while done < loops or (until is not None and time.monotonic() < until):
        student = ProtocolStudent(base_url, name, result)
        try:
            t0 = time.perf_counter()
            await student.open()
            student.open_ms = (time.perf_counter() - t0) * 1000
            for step in steps:
                if until is not None and time.monotonic() >= until:
                    return
                await student.step(step, paced)
                await asyncio.sleep(think_s())
        except Exception as exc:  # noqa: BLE001 - recorded as an error sample; the student goes home
            if not result.samples or result.samples[-1].ok:
                result.samples.append(Sample("connect", "load", 0.0, name, False, f"{type(exc).__name__}: {exc}"[:200]))
            return
        finally:
            await student.close()
        done += 1
