// Kernel weights as a k x k grid of text cells, coloured like the heatmaps (blue < 0 < red).
// Only the cells the student changed travel back: setStateValue("edits", {sig, edits: {"r,c": text}}),
// so untouched cells keep their full precision. A new `sig` (new starting kernel) drops the edits.
function lerp(a, b, t) { return a + (b - a) * t; }
function colour(pal, v, m) {
  const t = Math.max(0, Math.min(1, (v / m + 1) / 2)) * (pal.length - 1);
  const i = Math.min(pal.length - 2, Math.floor(t)), f = t - i;
  const c = [0, 1, 2].map((j) => Math.round(lerp(pal[i][j], pal[i + 1][j], f)));
  const ink = 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2] > 140 ? "#000" : "#fff";
  return [`rgb(${c.join(",")})`, ink];
}
function fmt(v, k) { return v === null ? "" : String(Number(v.toPrecision(k >= 7 ? 2 : 4))); }

function paint(root, d) {
  const vals = d.values.flat().filter((v) => v !== null).map(Math.abs);
  const m = Math.max(...vals, 0) || 1;
  root.querySelectorAll("input").forEach((inp) => {
    const v = d.values[+inp.dataset.r][+inp.dataset.c];
    inp.classList.toggle("kg-bad", v === null);
    if (v === null) { inp.parentElement.style.background = ""; inp.style.color = ""; return; }
    const [bg, ink] = colour(d.palette, v, m);
    inp.parentElement.style.background = bg;
    inp.style.color = ink;
  });
}

function build(root, d, st) {
  const body = root.querySelector("tbody");
  body.innerHTML = "";
  const head = document.createElement("tr");
  head.innerHTML = '<th class="kg-corner"><span class="kg-sr">row, column</span></th>' + d.values.map((_, c) => `<th>${c + 1}</th>`).join("");
  body.appendChild(head);
  d.values.forEach((row, r) => {
    const tr = document.createElement("tr");
    tr.innerHTML = `<th>${r + 1}</th>`;
    row.forEach((v, c) => {
      const td = document.createElement("td");
      const inp = document.createElement("input");
      inp.type = "text"; inp.inputMode = "decimal"; inp.spellcheck = false; inp.autocomplete = "off";
      inp.dataset.r = r; inp.dataset.c = c;
      inp.setAttribute("aria-label", `weight row ${r + 1}, column ${c + 1}`);
      const key = `${r},${c}`;
      inp.value = key in st.edits ? st.edits[key] : fmt(v, d.values.length);
      inp.dataset.shown = inp.value;
      td.appendChild(inp); tr.appendChild(td);
    });
    body.appendChild(tr);
  });
}

function setup(root) {
  const st = { sig: null, edits: {}, send: null, k: 0 };
  const commit = (inp) => {
    const text = inp.value.trim();
    if (text === inp.dataset.shown) return;
    inp.dataset.shown = text;
    st.edits[`${inp.dataset.r},${inp.dataset.c}`] = text;
    st.send("edits", { sig: st.sig, edits: { ...st.edits } });
  };
  const cell = (r, c) => root.querySelector(`input[data-r="${r}"][data-c="${c}"]`);
  root.addEventListener("change", (ev) => { if (ev.target.tagName === "INPUT") commit(ev.target); });
  root.addEventListener("keydown", (ev) => {
    const inp = ev.target;
    if (inp.tagName !== "INPUT") return;
    const r = +inp.dataset.r, c = +inp.dataset.c;
    let next = null;
    if (ev.key === "Enter") { commit(inp); next = cell(r + 1, c) || inp; }
    else if (ev.key === "ArrowDown") next = cell(r + 1, c);
    else if (ev.key === "ArrowUp") next = cell(r - 1, c);
    else if (ev.key === "Escape") { inp.value = inp.dataset.shown; inp.select(); }
    if (next) { ev.preventDefault(); next.focus(); next.select(); }
  });
  root.addEventListener("focusin", (ev) => { if (ev.target.tagName === "INPUT") ev.target.select(); });
  return st;
}

export default function (component) {
  const { data, setStateValue, parentElement } = component;
  const root = parentElement.querySelector(".kg-root");
  if (!root || !data) return;
  if (!root.__kg) root.__kg = setup(root);
  const st = root.__kg;
  st.send = setStateValue;
  const k = data.values.length;
  const size = k <= 3 ? [1, 1.3] : k <= 5 ? [0.95, 1.1] : k <= 7 ? [0.85, 0.9] : [0.75, 0.82];
  root.style.fontSize = `${size[data.projector ? 1 : 0]}rem`;
  root.style.setProperty("--kg-max", k <= 3 ? "16em" : "100%");
  // Columns at least as wide as the longest number shown, so no digit is ever cut (the grid scrolls instead).
  const chars = Math.max(3, ...data.values.flat().map((v) => fmt(v, k).length));
  root.style.setProperty("--kg-cols", k);
  root.style.setProperty("--kg-chars", chars);
  if (st.sig !== data.sig || st.k !== k) {
    st.sig = data.sig; st.k = k; st.edits = { ...(data.edits || {}) };
    build(root, data, st);
  } else {
    root.querySelectorAll("input").forEach((inp) => {  // a rerun: show the parsed values, keep focus
      const key = `${inp.dataset.r},${inp.dataset.c}`;
      if (document.activeElement === inp || inp.matches(":focus")) return;
      const shown = key in st.edits ? st.edits[key] : fmt(data.values[+inp.dataset.r][+inp.dataset.c], k);
      if (inp.value !== shown) { inp.value = shown; inp.dataset.shown = shown; }
    });
  }
  root.dataset.sig = data.sig;
  paint(root, data);
}
