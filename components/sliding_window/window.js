// Sliding-window animation, stepped in the browser: a timer moves the window, no server round trip.
// Everything shown (values, window positions, sums) comes computed from the page; this only draws.
const SPEEDS = [2, 5, 10, 20];

function fmt(v) { return (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(2)).replace("-", "\u2212"); }

function table(el, rows, pad) {
  el.innerHTML = rows.map((row, r) => "<tr>" + row.map((v, c) => {
    const inPad = pad >= 0 && (r < pad || c < pad || r >= rows.length - pad || c >= row.length - pad);
    return `<td${inPad ? ' class="sw-pad"' : ""}>${fmt(v)}</td>`;
  }).join("") + "</tr>").join("");
}

function show(root, s) {
  const d = s.d, n = d.tops.length, i = s.i;
  const inCells = root.querySelector(".sw-in").rows;
  s.marked.forEach((td) => td.classList.remove("sw-tap"));
  s.marked = [];
  for (let a = 0; a < d.k; a++) for (let b = 0; b < d.k; b++) {
    const td = inCells[d.tops[i] + a * d.dilation]?.cells[d.lefts[i] + b * d.dilation];
    if (td) { td.classList.add("sw-tap"); s.marked.push(td); }
  }
  const wo = d.out[0].length;
  root.querySelectorAll(".sw-out td").forEach((td, j) => {
    td.classList.toggle("sw-todo", j > i);
    td.classList.toggle("sw-now", j === i);
  });
  const row = Math.floor(i / wo) + 1, col = (i % wo) + 1;
  root.querySelector(".sw-status").textContent = `Step ${i + 1} of ${n}: output row ${row}, column ${col} = ${d.sums[i]}`;
  const range = root.querySelector("input[type=range]");
  range.value = String(i + 1);
  range.setAttribute("aria-valuetext", `step ${i + 1} of ${n}`);
  root.dataset.step = String(i + 1);
}

function stop(root, s) {
  if (s.timer) clearInterval(s.timer);
  s.timer = null;
  root.querySelector(".sw-play").textContent = "Play";
  root.dataset.playing = "0";
}

function play(root, s) {
  stop(root, s);
  root.querySelector(".sw-play").textContent = "Pause";
  root.dataset.playing = "1";
  s.timer = setInterval(() => {
    if (!root.isConnected) { stop(root, s); return; }
    s.i = (s.i + 1) % s.d.tops.length; show(root, s);
  }, 1000 / s.speed);
}

function setup(root) {
  const s = { d: null, i: 0, timer: null, speed: 10, marked: [], sig: "" };
  const sel = root.querySelector("select");
  sel.innerHTML = SPEEDS.map((v) => `<option value="${v}"${v === 10 ? " selected" : ""}>${v} steps/s</option>`).join("");
  sel.addEventListener("change", () => { s.speed = +sel.value; if (s.timer) play(root, s); });
  root.querySelector("input[type=range]").addEventListener("input", (ev) => {
    stop(root, s); s.i = +ev.target.value - 1; show(root, s);
  });
  root.querySelector(".sw-controls").addEventListener("click", (ev) => {
    const act = ev.target.closest("button")?.dataset.act;
    if (!act || !s.d) return;
    const n = s.d.tops.length;
    if (act === "play") { if (s.timer) stop(root, s); else play(root, s); return; }
    stop(root, s);
    s.i = act === "first" ? 0 : act === "last" ? n - 1 : act === "back" ? Math.max(0, s.i - 1) : Math.min(n - 1, s.i + 1);
    show(root, s);
  });
  return s;
}

export default function (component) {
  const { data, parentElement } = component;
  const root = parentElement.querySelector(".sw-root");
  if (!root || !data) return;
  if (!root.__sw) root.__sw = setup(root);
  const s = root.__sw;
  const sig = JSON.stringify([data.padded, data.out, data.tops, data.lefts, data.k, data.dilation]);
  root.style.fontSize = `${data.font_px}px`;
  root.querySelector(".sw-note").textContent = data.note;
  s.d = data;
  if (sig !== s.sig) {
    s.sig = sig;
    table(root.querySelector(".sw-in"), data.padded, data.pad);
    table(root.querySelector(".sw-out"), data.out, -1);
    s.marked = [];
    root.querySelector("input[type=range]").max = String(data.tops.length);
    s.i = Math.min(s.i, data.tops.length - 1);
  }
  show(root, s);
}
