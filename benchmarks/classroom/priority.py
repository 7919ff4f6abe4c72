"""The simulated students share the server's cores: keep the browsers at low CPU priority, and measure what the
students use."""

import os
import threading

import psutil


class BrowsersNiced:
    """While open, keep every chromium process of this process's browsers (and the playwright driver) at CPU
    priority `nice` or lower, checked every 0.2 s. Renicing once is not enough: chromium forks its renderers
    from a zygote started before the browser could be reniced, and sets a foreground renderer's priority
    itself (to 0 or 5, seen with psutil); the renderers do most of a browser's work.

    A process's nice only ranks it against processes of its own session when the kernel groups sessions
    (sched_autogroup_enabled, on here): playwright starts each chromium with setsid, and every server runs in a
    session of its own, so each browser got a whole session's share of the CPU whatever its nice. So the
    autogroups of the browsers and of this process (which drives them through playwright) are set to `nice`
    too, and this process's is put back on exit."""

    def __init__(self, nice: int):
        self.nice, self._stop = nice, threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._own_group_nice: int | None = None

    def _loop(self) -> None:
        while not self._stop.wait(0.2):
            for proc in psutil.Process().children(recursive=True):
                try:
                    if any(k in proc.name().lower() for k in ("chrom", "node", "playwright")):
                        if proc.nice() < self.nice:
                            proc.nice(self.nice)
                        if (autogroup_nice(proc.pid) or 0) < self.nice:
                            set_autogroup_nice(proc.pid, self.nice)
                except (psutil.Error, OSError):
                    pass

    def __enter__(self):
        if self.nice > 0:
            self._own_group_nice = autogroup_nice(os.getpid())
            if self._own_group_nice is not None:
                set_autogroup_nice(os.getpid(), max(self.nice, self._own_group_nice))
            self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()
        if self._own_group_nice is not None:
            set_autogroup_nice(os.getpid(), self._own_group_nice)


def autogroup_nice(pid: int) -> int | None:
    """The nice of the scheduler autogroup (session) `pid` is in; None without autogroups."""
    try:
        with open(f"/proc/{pid}/autogroup") as f:
            return int(f.read().split("nice")[-1])
    except (OSError, ValueError):
        return None


def set_autogroup_nice(pid: int, nice: int) -> None:
    """Set the nice of `pid`'s autogroup (lowering it again needs CAP_SYS_NICE; then it stays as it was)."""
    try:
        with open(f"/proc/{pid}/autogroup", "w") as f:
            f.write(str(nice))
    except OSError:
        pass


class StudentsCpu:
    """CPU seconds used, while open, by this process and its descendants other than the servers (`server_pids`
    and their children): the protocol students, playwright's driver and the browsers. Sampled every 0.25 s
    per process, since chromium's renderers exit without their time reaching this process's rusage."""

    def __init__(self, server_pids: tuple[int, ...]):
        self.server_pids, self._stop = set(server_pids), threading.Event()
        self._first: dict[int, float] = {}
        self._last: dict[int, float] = {}
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _sample(self) -> None:
        me = psutil.Process()
        servers = set(self.server_pids)
        for pid in self.server_pids:
            try:
                servers |= {c.pid for c in psutil.Process(pid).children(recursive=True)}
            except psutil.Error:
                pass
        for proc in [me, *me.children(recursive=True)]:
            if proc.pid in servers:
                continue
            try:
                t = proc.cpu_times()
            except psutil.Error:
                continue
            self._first.setdefault(proc.pid, t.user + t.system if proc.pid == me.pid else 0.0)
            self._last[proc.pid] = t.user + t.system

    def _loop(self) -> None:
        while not self._stop.wait(0.25):
            self._sample()

    def seconds(self) -> float:
        return sum(self._last[pid] - self._first[pid] for pid in self._last)

    def __enter__(self):
        self._sample()
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self._sample()
