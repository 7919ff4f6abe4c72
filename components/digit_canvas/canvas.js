// Draw-a-digit canvas for st.components.v2: pointer events (mouse, touch, pen), undo, clear.
// Sends {png, seq, strokes} through setStateValue("drawing", ...) while a stroke is in progress (at least
// THROTTLE_MS apart, see ready()), and once more immediately on pen-up. No network requests.
const THROTTLE_MS = 110;
const POLL_MS = 30;
const BACKOFF = 2;  // benchmarks/classroom/protocol.py BACKOFF models this
const MAX_WAIT_MS = 700;
const RESEND_MS = 2000;
const REPLAY_MS = 450;  // a replayed digit is drawn in about this time

function setup(root, setStateValue) {
  const canvas = root.querySelector("canvas");
  const ctx = canvas.getContext("2d");
  const st = { strokes: [], current: null, seq: 0, lastSent: 0, timer: null, dirty: false, rtt: 0, ackedSeq: 0,
               width: 18, size: 280, send: setStateValue };

  function paintStroke(s) {
    ctx.lineWidth = s.w;
    ctx.beginPath();
    const p = s.pts;
    if (!p.length) return;
    ctx.moveTo(p[0][0], p[0][1]);
    if (p.every((q) => q[0] === p[0][0] && q[1] === p[0][1])) ctx.lineTo(p[0][0] + 0.01, p[0][1]);  // a dot
    for (let i = 1; i < p.length; i++) ctx.lineTo(p[i][0], p[i][1]);
    ctx.stroke();
  }
  function repaint() {
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.strokeStyle = "#000000";
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    for (const s of st.strokes) paintStroke(s);
    if (st.current) paintStroke(st.current);
  }
  function emit() {
    st.dirty = false;
    st.lastSent = performance.now();
    st.seq += 1;
    const n = st.strokes.length + (st.current ? 1 : 0);
    root.dataset.seq = String(st.seq);
    root.dataset.strokes = String(n);
    st.send("drawing", { png: n ? canvas.toDataURL("image/png") : null, seq: st.seq, strokes: n,
                         size: canvas.width, replayed: Boolean(st.replayed && n) });
    // Watchdog: if the page has not shown this drawing after RESEND_MS (a rerun request lost on a
    // busy server), send it again. Needs data.ack; idle once the page has caught up.
    clearTimeout(st.watchdog);
    if (st.ack) st.watchdog = setTimeout(() => { if (!st.current && !caughtUp()) emit(); }, RESEND_MS);
  }
  // Flow control: while drawing, send the next update only once the page shows the previous one
  // (an element matching data.ack carries data-version >= our last seq), or after MAX_WAIT_MS.
  // Otherwise a slow machine would interrupt every rerun and show nothing until pen-up.
  function caughtUp() {
    const el = st.ack ? document.querySelector(st.ack) : null;
    return !el || Number(el.dataset.version) >= st.seq;
  }
  // Back-off: after the page caught up, wait as long again as that took (the round trip) before the next
  // live update. On a quiet server this changes little; on one busy with a class, each student drawing
  // asks for half as much, and everyone else's clicks are answered sooner. Pen-up never waits.
  function noteAck() {  // called every POLL_MS while a stroke is drawn
    if (st.ackedSeq === st.seq || !caughtUp()) return;
    st.ackedSeq = st.seq;
    st.rtt = performance.now() - st.lastSent;
    root.dataset.rtt = String(Math.round(st.rtt));
  }
  function ready() {
    const since = performance.now() - st.lastSent;
    if (since > MAX_WAIT_MS) return true;
    return st.ackedSeq === st.seq && since >= Math.max(THROTTLE_MS, BACKOFF * st.rtt);
  }
  function point(ev) {
    const r = canvas.getBoundingClientRect();  // the drawing area is inside the border
    const sx = canvas.width / (canvas.clientWidth || r.width), sy = canvas.height / (canvas.clientHeight || r.height);
    return [(ev.clientX - r.left - canvas.clientLeft) * sx, (ev.clientY - r.top - canvas.clientTop) * sy];
  }
  function stopTimer() { if (st.timer) { clearInterval(st.timer); st.timer = null; } }

  canvas.addEventListener("pointerdown", (ev) => {
    if ((ev.button !== undefined && ev.button > 0) || st.replaying) return;
    ev.preventDefault();
    try { canvas.setPointerCapture(ev.pointerId); } catch (e) { /* synthetic pointers */ }
    st.current = { w: st.width * canvas.width / 280, pts: [point(ev)] };  // width as on a 280 px canvas
    st.replayed = false;
    repaint();
    st.dirty = true;
    stopTimer();
    if (st.ackedSeq !== st.seq && caughtUp()) st.ackedSeq = st.seq;  // answered between strokes: no new round trip
    st.timer = setInterval(() => { noteAck(); if (st.dirty && ready()) emit(); }, POLL_MS);
  });
  canvas.addEventListener("pointermove", (ev) => {
    if (!st.current) return;
    ev.preventDefault();
    const evs = ev.getCoalescedEvents ? ev.getCoalescedEvents() : [];
    for (const e of (evs.length ? evs : [ev])) st.current.pts.push(point(e));
    repaint();
    st.dirty = true;
  });
  function finish(ev) {
    if (!st.current) return;
    if (ev && ev.type === "pointerup") st.current.pts.push(point(ev));
    st.strokes.push(st.current);
    st.current = null;
    stopTimer();
    repaint();
    emit();
  }
  canvas.addEventListener("pointerup", finish);
  canvas.addEventListener("pointercancel", finish);
  canvas.addEventListener("lostpointercapture", () => finish(null));
  root.querySelector('[data-act="undo"]').addEventListener("click", () => {
    if (st.current) { st.current = null; stopTimer(); } else st.strokes.pop();
    st.replayed = false;
    repaint(); emit();
  });
  root.querySelector('[data-act="clear"]').addEventListener("click", () => {
    st.current = null; stopTimer(); st.strokes = [];
    repaint(); emit();
  });
  // Replay recorded strokes (280 px canvas coordinates) as if drawn quickly, then send like a pen-up.
  st.replay = (strokes, width) => {
    const k = canvas.width / 280;
    const todo = strokes.map((pts) => pts.map(([x, y]) => [x * k, y * k]));
    const total = todo.reduce((n, p) => n + p.length, 0);
    const perFrame = Math.max(1, Math.ceil(total / (REPLAY_MS / 16)));
    st.current = null; stopTimer(); st.strokes = []; clearTimeout(st.watchdog);
    st.replaying = true;
    let si = 0, pi = 0;
    const frame = () => {
      for (let n = 0; n < perFrame && si < todo.length; n++) {
        if (pi === 0) st.strokes.push({ w: width * k, pts: [] });
        st.strokes[st.strokes.length - 1].pts.push(todo[si][pi]);
        if (++pi >= todo[si].length) { si += 1; pi = 0; }
      }
      repaint();
      if (si < todo.length) requestAnimationFrame(frame);
      else { st.replaying = false; st.replayed = true; emit(); }
    };
    repaint();
    requestAnimationFrame(frame);
  };
  st.repaint = repaint;
  st.stop = stopTimer;
  return st;
}

export default function (component) {
  const { data, setStateValue, parentElement } = component;
  const root = parentElement.querySelector(".dc-root");
  if (!root) return;
  if (!root.__dc) root.__dc = setup(root, setStateValue);
  const st = root.__dc;
  st.send = setStateValue;
  const size = Math.max(120, Math.min(1000, Number((data && data.size) || 280)));
  st.width = Math.max(2, Math.min(80, Number((data && data.stroke) || 18)));
  st.ack = (data && data.ack) || null;
  const epoch = (data && data.epoch) || 0;
  if (st.epoch !== undefined && st.epoch !== epoch) {  // the page asked for a blank canvas (e.g. input switched)
    st.strokes = []; st.current = null; st.stop(); root.dataset.strokes = "0";
  }
  st.epoch = epoch;
  const canvas = root.querySelector("canvas");
  if (canvas.width !== size) {
    // Rescale existing strokes to the new resolution (projector mode switched).
    const k = size / canvas.width;
    for (const s of st.strokes) { s.w *= k; s.pts = s.pts.map(([x, y]) => [x * k, y * k]); }
    canvas.width = size; canvas.height = size;
  }
  st.size = size;
  // The canvas shows at most `size` CSS px, shrinks with its column, and with its buttons fits in the window
  // below where it starts (first screen on a 1024x768 projector); point() maps the shown size back.
  const fit = () => {
    const top = root.getBoundingClientRect().top + window.scrollY;
    const tools = root.querySelector(".dc-tools").offsetHeight + 24;
    root.style.maxWidth = `min(${st.size}px, 100%, ${Math.max(240, window.innerHeight - top - tools)}px)`;
  };
  fit();
  requestAnimationFrame(fit);
  if (!root.__fitting) { root.__fitting = true; window.addEventListener("resize", fit); }
  root.querySelectorAll("button").forEach((b) => { b.style.fontSize = size > 300 ? "1.3rem" : "1rem"; });
  st.repaint();
  const replay = data && data.replay;
  if (replay && replay.id && replay.id !== st.replayId && Array.isArray(replay.strokes)) {
    st.replayId = replay.id;
    st.replay(replay.strokes, Math.max(1, Math.min(80, Number(replay.width) || st.width)));
  }
}
